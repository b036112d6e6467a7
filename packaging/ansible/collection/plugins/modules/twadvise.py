#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: MIT
# Copyright: (c) 2026 twadvise maintainers; MIT License (see LICENSE)
# twadvise.py - twadvise.twadvise.twadvise: apply a twadvise workload profile
# (plan, then apply with a rollback snapshot) or roll a snapshot back. The
# read-only half is twadvise.twadvise.twadvise_info.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: twadvise
short_description: Apply and roll back TCP connection-lifecycle sysctls with twadvise
version_added: "0.1.0"
description:
  - Drives the C(twadvise) advisor on the managed host to apply the sysctl
    changes a workload profile implies, and to roll them back. twadvise
    holds all tuning knowledge; this module maps Ansible's states, check
    mode and diff mode onto its commands and reports what they said.
  - C(state=applied) runs C(twadvise plan) and then C(twadvise apply PLAN)
    on the plan it just made. twadvise takes a rollback snapshot first and
    applies all keys or none. A host that already meets the profile gets an
    empty plan and reports C(changed=false).
  - C(state=rolled_back) runs C(twadvise rollback) to restore the values
    (and the persisted sysctl.d file) saved in a snapshot.
  - To read findings and facts without changing anything, use
    M(twadvise.twadvise.twadvise_info).
options:
  state:
    description:
      - C(applied) changes the sysctls the profile implies, after a snapshot.
      - C(rolled_back) restores a snapshot.
    type: str
    choices: [applied, rolled_back]
    default: applied
  profile:
    description:
      - The workload profile, by name (C(default), C(web-server),
        C(reverse-proxy), C(database), C(high-churn-client),
        C(container-host), or a profile in C(/etc/twadvise/profiles)), a
        path on the managed host, or an C(https://) URL.
      - Required with C(state=applied); ignored (with a warning) otherwise.
    type: str
  persist:
    description:
      - With C(state=applied), also write the values to
        C(<sysctl_dir>/90-twadvise.conf) so they survive a reboot
        (C(twadvise apply --persist)).
      - twadvise persists when it changes something; a host that already
        meets the profile is left as it is.
      - Mutually exclusive with C(netns).
    type: bool
    default: false
  snapshot:
    description:
      - With C(state=rolled_back), the snapshot id to restore (as listed by
        C(twadvise snapshots), and returned as C(snapshot) by an apply).
      - When omitted, the most recent snapshot taken by an apply. Rolling
        that back twice changes nothing the second time, so the task is
        idempotent.
      - C(last) passes C(--last) to twadvise, the most recent snapshot of
        any kind, a rollback's included; running it twice undoes the first run.
      - Ignored (with a warning) with C(state=applied).
    type: str
  fail_on:
    description:
      - With C(state=applied), fail the task when the host's status after
        the change (in check mode, before it) is at least this severe.
      - C(none) never fails on findings.
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
      - Change another network namespace (C(--netns)), given as a name in
        C(/run/netns) or a path such as C(/proc/PID/ns/net).
      - Mutually exclusive with C(persist).
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
  - The module returns C(rc) and twadvise's own error message when
    twadvise fails (for example 75 when the state directory is locked or
    the values drifted, 66 for an unknown snapshot, 77 without permission).
  - twadvise logs every apply and rollback to syslog with the snapshot id.
  - The twadvise command is documented in twadvise(8).
seealso:
  - module: twadvise.twadvise.twadvise_info
attributes:
  check_mode:
    support: full
    description: C(applied) only plans and C(rolled_back) only dry-runs; nothing is written.
  diff_mode:
    support: full
    description: Returns the changed keys as C(key = value) lines before and after.
  platform:
    support: full
    platforms: linux
author:
  - twadvise maintainers
'''

EXAMPLES = r'''
- name: Apply the web-server profile and persist it for the next boot
  become: true
  twadvise.twadvise.twadvise:
    profile: web-server
    state: applied
    persist: true
  register: applied

- name: Roll back what the last apply changed
  become: true
  twadvise.twadvise.twadvise:
    state: rolled_back

- name: Roll back one snapshot by its id
  become: true
  twadvise.twadvise.twadvise:
    state: rolled_back
    snapshot: "{{ applied.snapshot }}"
  when: applied.snapshot
'''

RETURN = r'''
status:
  description:
    - The host's status from C(twadvise check) after the change
      (C(ok), C(warning), C(critical)); in check mode, as found.
  returned: when state is applied
  type: str
  sample: ok
status_before:
  description: The status before the change.
  returned: when state is applied
  type: str
  sample: critical
findings:
  description:
    - The findings of C(twadvise check --format json) after the change,
      most severe first (schema twadvise.findings/1).
  returned: when state is applied
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
  returned: always
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
      would be written (check mode), C(done) when it was already in place).
  returned: when twadvise apply or rollback ran
  type: list
  elements: dict
persisted:
  description: The sysctl.d file written or restored, or null.
  returned: always
  type: str
  sample: /etc/sysctl.d/90-twadvise.conf
boot_overrides:
  description:
    - Files that would override a persisted key at the next boot
      (C(key), C(value), C(file)); each is also a warning.
  returned: always
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
from ansible_collections.twadvise.twadvise.plugins.module_utils.twadvise_runner import (
    COMMON_ARGS, TwadviseRunner, at_least, make_diff, warn_ignored, worst_finding)


def fail_on_status(module, result):
    threshold = module.params['fail_on']
    if at_least(result.get('status'), threshold):
        worst = worst_finding(result.get('findings'))
        result['msg'] = 'twadvise status is %s (fail_on=%s)%s' % (
            result['status'], threshold, ': ' + worst if worst else '')
        module.fail_json(**result)


def plural(n):
    return '' if n == 1 else 's'


def state_applied(module, tw, result):
    profile = module.params['profile']
    before = tw.check(profile)
    result.update(status_before=before.get('status'), status=before.get('status'),
                  findings=before.get('findings', []), profile=before.get('profile'))

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
        return
    if module.check_mode:
        result.update(changed=True, diff=make_diff(changes, header))
        result['msg'] = 'would change %d key%s: %s' % (
            len(changes), plural(len(changes)), ', '.join(c['key'] for c in changes))
        return

    args = ['apply', plan_file, '--format', 'json']
    if module.params['persist']:
        args.append('--persist')
    dummy, res, err = tw.run(args)
    tw.warn_stderr(err)
    written = [k for k in res.get('keys', []) if k.get('state') != 'done']
    result.update(changed=bool(res.get('changed')), snapshot=res.get('snapshot'),
                  keys=res.get('keys', []), persisted=res.get('persisted'),
                  boot_overrides=res.get('boot_overrides', []))
    if result['changed'] and written:
        result['diff'] = make_diff(written, header)

    after = tw.check(profile, fatal=False)
    result.update(status=after.get('status') if after else None,
                  findings=after.get('findings', []) if after else [])
    if result['changed']:
        result['msg'] = 'changed %d key%s%s; snapshot %s; status %s -> %s' % (
            len(written), plural(len(written)),
            ' and persisted to %s' % result['persisted'] if result['persisted'] else '',
            result['snapshot'], result['status_before'], result['status'])
    else:
        result['msg'] = 'nothing to change: every key is already in place'


def latest_apply_snapshot(tw):
    applies = [s for s in tw.snapshots() if s.get('operation') == 'apply']
    return applies[-1]['id'] if applies else None


def state_rolled_back(module, tw, result):
    wanted = module.params['snapshot']
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
    dummy, res, err = tw.run(args)
    tw.warn_stderr(err)
    pending = [k for k in res.get('keys', []) if k.get('state') != 'done']
    result.update(changed=bool(res.get('changed')), snapshot=res.get('snapshot'),
                  rolled_back=res.get('rolled_back'), keys=res.get('keys', []),
                  persisted=res.get('persisted'), boot_overrides=res.get('boot_overrides', []))
    if result['changed'] and pending:
        result['diff'] = make_diff(pending, 'sysctls of twadvise snapshot %s' % result['rolled_back'])
    n = len(pending)
    if not result['changed']:
        result['msg'] = 'nothing to roll back: the values of snapshot %s are in place' % result['rolled_back']
    elif module.check_mode:
        result['msg'] = 'would restore %d key%s of snapshot %s' % (n, plural(n), result['rolled_back'])
    else:
        result['msg'] = 'restored %d key%s of snapshot %s%s; undo with snapshot %s' % (
            n, plural(n), result['rolled_back'],
            ' and %s' % result['persisted'] if result['persisted'] else '', result['snapshot'])


def main():
    argument_spec = dict(
        state=dict(type='str', default='applied', choices=['applied', 'rolled_back']),
        profile=dict(type='str'),
        persist=dict(type='bool', default=False),
        snapshot=dict(type='str'),
        fail_on=dict(type='str', default='none', choices=['none', 'warning', 'critical']),
    )
    argument_spec.update(COMMON_ARGS)
    module = AnsibleModule(
        argument_spec=argument_spec,
        # persist writes the host's boot configuration; a namespace has none.
        mutually_exclusive=[('persist', 'netns')],
        required_if=[('state', 'applied', ('profile',))],
        supports_check_mode=True,
    )
    state = module.params['state']
    if state == 'applied':
        warn_ignored(module, {'snapshot': None})
    else:
        warn_ignored(module, {'profile': None, 'persist': False, 'fail_on': 'none'})

    tw = TwadviseRunner(module)
    result = dict(changed=False, snapshot=None, persisted=None, boot_overrides=[])
    if state == 'applied':
        state_applied(module, tw, result)
        fail_on_status(module, result)
    else:
        state_rolled_back(module, tw, result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
