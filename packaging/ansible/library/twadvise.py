#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: MIT
# Copyright: (c) 2026 twadvise maintainers; MIT License (see LICENSE)
# twadvise.py - Ansible module: check, apply and roll back a twadvise workload
# profile on a host by driving the installed twadvise binary through its JSON
# output (check --format json, plan, apply/rollback --format json).
#
# The module holds no tuning knowledge of its own: twadvise decides, plans,
# snapshots and restores; the module only maps Ansible's states, check mode
# and diff mode onto those commands and reports what they said.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: twadvise
short_description: Check, apply and roll back TCP connection-lifecycle tunables with twadvise
version_added: "0.1.0"
description:
  - Runs the C(twadvise) advisor on the managed host to judge its TCP
    connection lifecycle (TIME_WAIT, CLOSE_WAIT, ephemeral ports, listen
    queues) against a workload profile, to apply the sysctl changes the
    profile implies, and to roll them back.
  - C(state=checked) runs C(twadvise check --format json) and returns the
    findings. It never changes anything.
  - C(state=applied) runs C(twadvise plan) and then C(twadvise apply PLAN)
    on the plan it just made. twadvise takes a rollback snapshot first and
    applies all keys or none. A host that already meets the profile gets an
    empty plan and reports C(changed=false).
  - C(state=rolled_back) runs C(twadvise rollback) to restore the values
    (and the persisted sysctl.d file) saved in a snapshot.
  - Supports check mode (C(--check)) and diff mode (C(--diff)); in check
    mode C(applied) only plans and C(rolled_back) only dry-runs, nothing is
    written.
options:
  profile:
    description:
      - The workload profile, by name (C(default), C(web-server),
        C(reverse-proxy), C(database), C(high-churn-client),
        C(container-host), or a profile in C(/etc/twadvise/profiles)), a
        path on the managed host, or an C(https://) URL.
      - Used by C(checked) and C(applied).
    type: str
    default: default
  state:
    description:
      - C(checked) reports findings and changes nothing.
      - C(applied) changes the sysctls the profile implies, with a snapshot.
      - C(rolled_back) restores a snapshot.
    type: str
    choices: [checked, applied, rolled_back]
    default: checked
  persist:
    description:
      - With C(state=applied), also write the values to
        C(<sysctl_dir>/90-twadvise.conf) so they survive a reboot
        (C(twadvise apply --persist)).
      - twadvise persists when it changes something; a host that already
        meets the profile is left as it is.
    type: bool
    default: false
  snapshot:
    description:
      - With C(state=rolled_back), the snapshot id to restore (as listed by
        C(twadvise snapshots)).
      - When omitted, the most recent snapshot taken by an apply. Rolling
        that back twice changes nothing the second time, so the task is
        idempotent.
      - C(last) passes C(--last) to twadvise, which is the most recent
        snapshot of any kind, a rollback's included; running it twice
        undoes the first run.
    type: str
  fail_on:
    description:
      - Fail the task when the host's status is at least this severe after
        the task (C(checked) and C(applied); in check mode, before).
      - C(none) never fails on findings; C(twadvise check) exit codes 1 and
        2 are findings, not errors. Exit code 3 (could not evaluate) always
        fails.
    type: str
    choices: [none, warning, critical]
    default: none
  state_dir:
    description:
      - twadvise's state directory (snapshots and lock), C(--state-dir).
      - twadvise's default is C(/var/lib/twadvise).
    type: path
  sysctl_dir:
    description:
      - The sysctl.d directory that C(persist) writes to and C(check)
        scans for boot-time overrides, C(--sysctl-dir).
      - twadvise's default is C(/etc/sysctl.d).
    type: path
  netns:
    description:
      - Inspect and change another network namespace (C(--netns)), given
        as a name in C(/run/netns) or a path such as C(/proc/PID/ns/net).
      - Cannot be combined with C(persist).
    type: str
  binary:
    description:
      - Path of the twadvise program on the managed host.
      - When omitted, C(twadvise) is looked up in C(PATH) and the sbin
        directories.
    type: path
requirements:
  - twadvise on the managed host (the twadvise package, or make install)
notes:
  - Changing sysctls needs root on the managed host (C(become=true)).
    C(checked) and check mode need no root.
  - The module returns C(rc) and twadvise's own error message when
    twadvise fails (for example 75 when the state directory is locked or
    the values drifted, 77 without permission).
  - twadvise logs every apply and rollback to syslog with the snapshot id.
  - The twadvise command itself is documented in twadvise(8)
    (C(man 8 twadvise)).
attributes:
  check_mode:
    support: full
    description: C(applied) plans and C(rolled_back) dry-runs; nothing is written.
  diff_mode:
    support: full
    description: Returns the changed keys as C(key = value) lines before and after.
  platform:
    support: full
    platforms: linux
    description: Linux hosts with twadvise installed.
author:
  - twadvise maintainers
'''

EXAMPLES = r'''
- name: Judge the host against the reverse-proxy profile; fail on critical findings
  twadvise:
    profile: reverse-proxy
    state: checked
    fail_on: critical
  register: tw

- name: Show the findings
  ansible.builtin.debug:
    msg: "{{ tw.status }}: {{ tw.findings | map(attribute='summary') | list }}"

- name: Apply the web-server profile and persist it for the next boot
  become: true
  twadvise:
    profile: web-server
    state: applied
    persist: true
  register: applied

- name: Roll back what the last apply changed
  become: true
  twadvise:
    state: rolled_back

- name: Roll back one snapshot by its id
  become: true
  twadvise:
    state: rolled_back
    snapshot: "{{ applied.snapshot }}"
  when: applied.snapshot
'''

RETURN = r'''
changed:
  description:
    - Whether twadvise changed (or, in check mode, would change) a sysctl
      or the persisted file, as twadvise itself reported it.
  returned: always
  type: bool
status:
  description:
    - The host's status from C(twadvise check) at the end of the task
      (C(ok), C(warning), C(critical)); in check mode, as found.
  returned: when state is checked or applied
  type: str
  sample: warning
status_before:
  description: The status before the change (state=applied).
  returned: when state is applied
  type: str
  sample: critical
findings:
  description:
    - The findings of C(twadvise check --format json) at the end of the
      task, most severe first (schema twadvise.findings/1).
  returned: when state is checked or applied
  type: list
  elements: dict
  sample:
    - rule: tw-reuse-off
      severity: warning
      summary: "net.ipv4.tcp_tw_reuse is 2 ..."
      evidence: [{name: net.ipv4.tcp_tw_reuse, value: "2", source: /proc/sys}]
      recommendation: "..."
      changes: [{key: net.ipv4.tcp_tw_reuse, from: "2", to: "1"}]
checked:
  description: The rules the check evaluated.
  returned: when state is checked
  type: list
  elements: str
not_judged:
  description: Enabled rules that could not judge here, each with its rule
    id and the reason (for example orphans-near-limit without
    tcp_max_orphans in a network namespace).
  returned: when state is checked
  type: list
  elements: dict
plan:
  description:
    - The plan twadvise made (schema twadvise.plan/1), with C(changes) of
      C(key), C(from), C(to), C(rule), C(reason).
  returned: when state is applied
  type: dict
snapshot:
  description:
    - The snapshot twadvise took before writing (the id to roll back to);
      null when nothing was written.
  returned: when state is applied or rolled_back
  type: str
  sample: 20260101-120000-123456
rolled_back:
  description: The snapshot whose values were restored.
  returned: when state is rolled_back and a snapshot was found
  type: str
  sample: 20260101-120000-123456
keys:
  description:
    - What apply or rollback did per key, C(key), C(from), C(to) and
      C(state) (C(applied) when this run wrote it, C(pending) when it
      would be written (check mode, dry run), C(done) when it was already
      in place).
  returned: when state is applied or rolled_back and twadvise ran
  type: list
  elements: dict
persisted:
  description: The sysctl.d file written or restored, or null.
  returned: when state is applied or rolled_back
  type: str
  sample: /etc/sysctl.d/90-twadvise.conf
boot_overrides:
  description:
    - Files that would override a persisted key at the next boot
      (C(key), C(value), C(file)); each is also a warning.
  returned: when state is applied or rolled_back
  type: list
  elements: dict
msg:
  description: One line saying what happened.
  returned: always
  type: str
rc:
  description: twadvise's exit code when it failed.
  returned: failed
  type: int
'''

import json
import os

from ansible.module_utils.basic import AnsibleModule

SEVERITY = {'ok': 0, 'info': 0, 'warning': 1, 'critical': 2, 'unknown': 3}


class Twadvise(object):
    """Runs the twadvise binary with the task's global options."""

    def __init__(self, module):
        self.module = module
        p = module.params
        if p['binary']:
            self.binary = p['binary']
            if not os.access(self.binary, os.X_OK):
                module.fail_json(msg="twadvise binary '%s' is not an executable file" % self.binary)
        else:
            self.binary = module.get_bin_path('twadvise', required=True,
                                              opt_dirs=['/usr/sbin', '/usr/local/sbin', '/usr/local/bin'])
        self.globals = []
        if p['state_dir']:
            self.globals += ['--state-dir', p['state_dir']]
        if p['sysctl_dir']:
            self.globals += ['--sysctl-dir', p['sysctl_dir']]
        if p['netns']:
            self.globals += ['--netns', p['netns']]

    def run(self, args, ok_rcs=(0,), parse=True):
        """Run twadvise ARGS; fail the task with its own message unless the
        exit code is in ok_rcs. Returns (rc, parsed stdout or text, stderr)."""
        cmd = [self.binary] + list(args) + self.globals
        rc, out, err = self.module.run_command(cmd, environ_update={'LC_ALL': 'C', 'NO_COLOR': '1'})
        if rc not in ok_rcs:
            # twadvise prints each error once, as "twadvise: MESSAGE".
            lines = [l[len('twadvise: '):] if l.startswith('twadvise: ') else l
                     for l in err.splitlines()
                     if l.strip() and not l.startswith('twadvise: warning: ')]
            msg = '; '.join(lines) or 'twadvise %s exited %d' % (args[0], rc)
            self.module.fail_json(msg=msg, rc=rc, cmd=cmd, stdout=out, stderr=err)
        if not parse:
            return rc, out, err
        try:
            return rc, json.loads(out), err
        except ValueError as e:
            self.module.fail_json(msg='twadvise %s printed no JSON: %s' % (args[0], e), rc=rc,
                                  cmd=cmd, stdout=out, stderr=err)

    def warn_stderr(self, err):
        for line in err.splitlines():
            if line.startswith('twadvise: warning: '):
                self.module.warn(line[len('twadvise: warning: '):])

    def check(self, profile, fatal=True):
        """check --format json: 0 OK, 1 WARNING, 2 CRITICAL are answers; 3
        UNKNOWN is an error, or with fatal=False a warning and None (after
        a change was made, the task must still report it). --no-history:
        a configuration run neither writes state (check mode) nor takes the
        counters' increase away from the monitoring check."""
        argv = ['check', '--profile', profile, '--no-history', '--format', 'json']
        if fatal:
            return self.run(argv, ok_rcs=(0, 1, 2))[1]
        rc, out, err = self.run(argv, ok_rcs=(0, 1, 2, 3), parse=False)
        try:
            if rc != 3:
                return json.loads(out)
        except ValueError:
            pass
        self.module.warn('twadvise check after the change failed (exit %d): %s' % (rc, err.strip()))
        return None


def one_line(value):
    return value.replace('\t', ' ').replace('\n', ' ')


def make_diff(keys, header):
    before = ''.join('%s = %s\n' % (k['key'], one_line(k['from'])) for k in keys)
    after = ''.join('%s = %s\n' % (k['key'], one_line(k['to'])) for k in keys)
    return {'before': before, 'after': after,
            'before_header': '%s, before' % header, 'after_header': '%s, after' % header}


def fail_on_status(module, result):
    threshold = module.params['fail_on']
    status = result.get('status')
    if threshold == 'none' or status is None:
        return
    if SEVERITY.get(status, 3) >= SEVERITY[threshold]:
        worst = (result.get('findings') or [{}])[0].get('summary')
        result['msg'] = 'twadvise status is %s (fail_on=%s)%s' % (
            status, threshold, ': ' + worst if worst else '')
        module.fail_json(**result)


def summary(findings):
    counts = {}
    for f in findings:
        counts[f.get('severity')] = counts.get(f.get('severity'), 0) + 1
    return ', '.join('%d %s' % (counts.get(s, 0), s) for s in ('critical', 'warning', 'info'))


def state_checked(module, tw, result):
    out = tw.check(module.params['profile'])
    result.update(status=out.get('status'), findings=out.get('findings', []),
                  checked=out.get('checked', []), not_judged=out.get('not_judged', []),
                  profile=out.get('profile'))
    result['msg'] = '%s: %s (profile %s)' % (result['status'], summary(result['findings']),
                                             result['profile'])
    fail_on_status(module, result)


def state_applied(module, tw, result):
    profile = module.params['profile']
    before = tw.check(profile)
    result.update(status_before=before.get('status'), status=before.get('status'),
                  findings=before.get('findings', []), snapshot=None, persisted=None,
                  boot_overrides=[], profile=before.get('profile'))

    plan_file = os.path.join(module.tmpdir, 'plan.json')
    tw.run(['plan', '--profile', profile, '-o', plan_file, '-q'], parse=False)
    try:
        with open(plan_file) as fp:
            plan = json.load(fp)
    except (IOError, OSError, ValueError) as e:
        module.fail_json(msg='cannot read the plan twadvise wrote to %s: %s' % (plan_file, e))
    result['plan'] = plan
    changes = plan.get('changes', [])
    header = 'sysctls of twadvise profile %s' % plan.get('profile', profile)

    if not changes:
        result['msg'] = 'nothing to change: the host meets profile %s' % plan.get('profile', profile)
        fail_on_status(module, result)
        return
    if module.check_mode:
        result['changed'] = True
        if module._diff:
            result['diff'] = make_diff(changes, header)
        result['msg'] = 'would change %d key%s: %s' % (
            len(changes), '' if len(changes) == 1 else 's', ', '.join(c['key'] for c in changes))
        fail_on_status(module, result)
        return

    args = ['apply', plan_file, '--format', 'json']
    if module.params['persist']:
        args.append('--persist')
    rc, res, err = tw.run(args)
    tw.warn_stderr(err)
    written = [k for k in res.get('keys', []) if k.get('state') != 'done']
    result.update(changed=bool(res.get('changed')), snapshot=res.get('snapshot'),
                  keys=res.get('keys', []), persisted=res.get('persisted'),
                  boot_overrides=res.get('boot_overrides', []))
    if result['changed'] and module._diff and written:
        result['diff'] = make_diff(written, header)

    after = tw.check(profile, fatal=False)
    result.update(status=after.get('status') if after else None,
                  findings=after.get('findings', []) if after else [])
    if result['changed']:
        result['msg'] = 'changed %d key%s%s; snapshot %s; status %s -> %s' % (
            len(written), '' if len(written) == 1 else 's',
            ' and persisted to %s' % result['persisted'] if result['persisted'] else '',
            result['snapshot'], result['status_before'], result['status'])
    else:
        result['msg'] = 'nothing to change: every key is already in place'
    fail_on_status(module, result)


def latest_apply_snapshot(tw):
    _, snaps, _ = tw.run(['snapshots', '--format', 'json'])
    applies = [s for s in snaps if s.get('operation') == 'apply']
    return applies[-1]['id'] if applies else None


def state_rolled_back(module, tw, result):
    wanted = module.params['snapshot']
    result.update(snapshot=None, persisted=None, boot_overrides=[])
    if wanted == 'last':
        target = ['--last']
    elif wanted:
        target = [wanted]
    else:
        sid = latest_apply_snapshot(tw)
        if sid is None:
            result['msg'] = 'no snapshot of an apply in the state directory: nothing to roll back'
            return
        target = [sid]

    args = ['rollback'] + target + ['--format', 'json']
    if module.check_mode:
        args.append('--dry-run')
    rc, res, err = tw.run(args)
    tw.warn_stderr(err)
    pending = [k for k in res.get('keys', []) if k.get('state') != 'done']
    result.update(changed=bool(res.get('changed')), snapshot=res.get('snapshot'),
                  rolled_back=res.get('rolled_back'), keys=res.get('keys', []),
                  persisted=res.get('persisted'), boot_overrides=res.get('boot_overrides', []))
    if result['changed'] and module._diff and pending:
        result['diff'] = make_diff(pending, 'sysctls of twadvise snapshot %s' % result['rolled_back'])
    if not result['changed']:
        result['msg'] = 'nothing to roll back: the values of snapshot %s are in place' % result['rolled_back']
    elif module.check_mode:
        result['msg'] = 'would restore %d key%s of snapshot %s' % (
            len(pending), '' if len(pending) == 1 else 's', result['rolled_back'])
    else:
        result['msg'] = 'restored %d key%s of snapshot %s%s; undo with snapshot %s' % (
            len(pending), '' if len(pending) == 1 else 's', result['rolled_back'],
            ' and %s' % result['persisted'] if result['persisted'] else '', result['snapshot'])


def main():
    module = AnsibleModule(
        argument_spec=dict(
            profile=dict(type='str', default='default'),
            state=dict(type='str', default='checked', choices=['checked', 'applied', 'rolled_back']),
            persist=dict(type='bool', default=False),
            snapshot=dict(type='str'),
            fail_on=dict(type='str', default='none', choices=['none', 'warning', 'critical']),
            state_dir=dict(type='path'),
            sysctl_dir=dict(type='path'),
            netns=dict(type='str'),
            binary=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    if module.params['persist'] and module.params['netns']:
        module.fail_json(msg='persist writes the host\'s boot configuration; it cannot be combined with netns')
    tw = Twadvise(module)
    result = dict(changed=False)
    state = module.params['state']
    if state == 'checked':
        state_checked(module, tw, result)
    elif state == 'applied':
        state_applied(module, tw, result)
    else:
        state_rolled_back(module, tw, result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
