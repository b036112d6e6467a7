#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: MIT
# Copyright: (c) 2026 twadvise maintainers; MIT License (see LICENSE)
# twadvise_info.py - twadvise.twadvise.twadvise_info: the findings of
# `twadvise check`, the facts of `twadvise inspect` and the list of rollback
# snapshots, as returned data. Read-only: never changed, never writes state.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: twadvise_info
short_description: Findings, facts and snapshots of twadvise, read-only
version_added: "0.1.0"
description:
  - Runs C(twadvise check --format json --no-history) on the managed host
    and returns its status and findings against a workload profile, and
    optionally the facts twadvise gathered (C(twadvise inspect --format
    json)) and the rollback snapshots in its state directory.
  - Changes nothing and writes no state (C(--no-history)), so C(changed) is
    always false. Findings are data, not failures; to stop a play on them,
    test C(status) (see the examples and the C(twadvise.twadvise.twadvise)
    role's preflight).
options:
  profile:
    description:
      - The workload profile, by name (C(default), C(web-server),
        C(reverse-proxy), C(database), C(high-churn-client),
        C(container-host), or a profile in C(/etc/twadvise/profiles)), a
        path on the managed host, or an C(https://) URL.
    type: str
    default: default
  gather:
    description:
      - What to return. C(findings) (C(twadvise check)), C(facts)
        (C(twadvise inspect)), C(snapshots) (C(twadvise snapshots)).
    type: list
    elements: str
    choices: [findings, facts, snapshots]
    default: [findings]
  evidence_only:
    description:
      - Judge live evidence only (C(check --evidence-only)). Where the host
        merely differs from the profile, with nothing measured behind it,
        the finding is C(info) and does not set C(status). What an apply
        would fix then does not count; what it cannot fix (a CLOSE_WAIT
        leak, ports exhausted toward one destination) does.
    type: bool
    default: false
  state_dir:
    description:
      - twadvise's state directory, C(--state-dir); read for C(snapshots).
    type: path
  sysctl_dir:
    description:
      - The sysctl.d directory C(check) scans for boot-time overrides,
        C(--sysctl-dir).
    type: path
  netns:
    description:
      - Inspect another network namespace (C(--netns)), a name in
        C(/run/netns) or a path such as C(/proc/PID/ns/net).
    type: str
  binary:
    description:
      - Path of the twadvise program on the managed host; by default
        C(twadvise) from C(PATH) and the sbin directories.
    type: path
requirements:
  - twadvise on the managed host
notes:
  - Without root, owners of other users' sockets cannot be named.
  - A check that cannot evaluate (twadvise exit 3, for example an unknown
    profile) fails the task with twadvise's message and C(rc).
seealso:
  - module: twadvise.twadvise.twadvise
attributes:
  check_mode:
    support: full
    description: Reads only; runs the same in check mode.
  diff_mode:
    support: none
  platform:
    support: full
    platforms: linux
author:
  - twadvise maintainers
'''

EXAMPLES = r'''
- name: Judge the host against the reverse-proxy profile
  twadvise.twadvise.twadvise_info:
    profile: reverse-proxy
  register: tw

- name: Stop on a critical finding
  ansible.builtin.assert:
    that: tw.status != 'critical'
    fail_msg: "{{ tw.findings | map(attribute='summary') | join('; ') }}"

- name: Facts and snapshots as well
  twadvise.twadvise.twadvise_info:
    gather: [findings, facts, snapshots]
  register: tw_all
'''

RETURN = r'''
status:
  description: The host's status (C(ok), C(warning), C(critical)).
  returned: when findings are gathered
  type: str
  sample: warning
profile:
  description: The profile judged against, as twadvise names it.
  returned: when findings are gathered
  type: str
  sample: reverse-proxy
findings:
  description:
    - The findings, most severe first (schema twadvise.findings/1), each
      with C(rule), C(severity), C(summary), C(evidence),
      C(recommendation) and the C(changes) it implies.
  returned: when findings are gathered
  type: list
  elements: dict
checked:
  description: The rules the check evaluated.
  returned: when findings are gathered
  type: list
  elements: str
not_judged:
  description: Enabled rules that could not judge here, each with its rule
    id and the reason.
  returned: when findings are gathered
  type: list
  elements: dict
worst:
  description: "The most severe finding as C(severity rule: summary), or null."
  returned: when findings are gathered
  type: str
  sample: "critical close-wait-leak: 250 sockets in CLOSE_WAIT ..."
facts:
  description: The facts of C(twadvise inspect --format json) (schema twadvise.facts/1).
  returned: when facts are gathered
  type: dict
snapshots:
  description: The rollback snapshots (C(id), C(operation), ...), oldest first.
  returned: when snapshots are gathered
  type: list
  elements: dict
msg:
  description: One line summing up the findings.
  returned: when findings are gathered
  type: str
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.twadvise.twadvise.plugins.module_utils.twadvise_runner import (
    COMMON_ARGS, TwadviseRunner, summary, worst_finding)


def main():
    argument_spec = dict(
        profile=dict(type='str', default='default'),
        gather=dict(type='list', elements='str', default=['findings'],
                    choices=['findings', 'facts', 'snapshots']),
        evidence_only=dict(type='bool', default=False),
    )
    argument_spec.update(COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    tw = TwadviseRunner(module)
    result = dict(changed=False)
    if 'findings' in p['gather']:
        out = tw.check(p['profile'], evidence_only=p['evidence_only'])
        findings = out.get('findings', [])
        result.update(status=out.get('status'), profile=out.get('profile'), findings=findings,
                      checked=out.get('checked', []), not_judged=out.get('not_judged', []),
                      worst=worst_finding(findings))
        result['msg'] = '%s: %s (profile %s)' % (result['status'], summary(findings), result['profile'])
    else:
        for opt in ('evidence_only',):
            if p[opt]:
                module.warn("option '%s' is ignored without 'findings' in gather" % opt)
    if 'facts' in p['gather']:
        result['facts'] = tw.run(['inspect', '--no-history', '--format', 'json'])[1]
    if 'snapshots' in p['gather']:
        result['snapshots'] = tw.snapshots()
    module.exit_json(**result)


if __name__ == '__main__':
    main()
