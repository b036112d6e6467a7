# -*- coding: utf-8 -*-
# SPDX-License-Identifier: MIT
# Copyright: (c) 2026 twadvise maintainers; MIT License (see LICENSE)
# twadvise_runner.py - what the twadvise.twadvise modules share: finding the
# twadvise program, running it with the task's global options, reading its
# JSON, turning its errors into the task's msg and rc, and the diff.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

# twadvise's statuses, in check's exit-code order.
SEVERITY = {'ok': 0, 'info': 0, 'warning': 1, 'critical': 2, 'unknown': 3}

# The options every module has, merged into each argument_spec.
COMMON_ARGS = dict(
    state_dir=dict(type='path'),
    sysctl_dir=dict(type='path'),
    netns=dict(type='str'),
    binary=dict(type='path'),
)


class TwadviseRunner(object):
    """Runs the twadvise binary on the managed host with the task's global
    options (--state-dir, --sysctl-dir, --netns)."""

    def __init__(self, module):
        self.module = module
        p = module.params
        if p.get('binary'):
            self.binary = p['binary']
            if not os.access(self.binary, os.X_OK):
                module.fail_json(msg="twadvise binary '%s' is not an executable file" % self.binary)
        else:
            self.binary = module.get_bin_path('twadvise', required=True,
                                              opt_dirs=['/usr/sbin', '/usr/local/sbin', '/usr/local/bin'])
        self.globals = []
        for opt, flag in (('state_dir', '--state-dir'), ('sysctl_dir', '--sysctl-dir'), ('netns', '--netns')):
            if p.get(opt):
                self.globals += [flag, p[opt]]

    def run(self, args, ok_rcs=(0,), parse=True):
        """Run twadvise ARGS; fail the task with twadvise's own message unless
        the exit code is in ok_rcs. Returns (rc, parsed JSON or text, stderr)."""
        cmd = [self.binary] + list(args) + self.globals
        rc, out, err = self.module.run_command(cmd, environ_update={'LC_ALL': 'C', 'NO_COLOR': '1'})
        if rc not in ok_rcs:
            # twadvise prints each error once, as "twadvise: MESSAGE".
            lines = [line[len('twadvise: '):] if line.startswith('twadvise: ') else line
                     for line in err.splitlines()
                     if line.strip() and not line.startswith('twadvise: warning: ')]
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
        """twadvise's own warnings become the task's warnings."""
        for line in err.splitlines():
            if line.startswith('twadvise: warning: '):
                self.module.warn(line[len('twadvise: warning: '):])

    def check(self, profile, fatal=True, evidence_only=False):
        """check --format json --no-history: exit 0 OK, 1 WARNING, 2 CRITICAL
        are answers; 3 UNKNOWN is an error, or with fatal=False a warning and
        None (after a change was made, the task must still report it).
        --no-history: a configuration run neither writes state nor takes the
        counters' increase away from the monitoring check."""
        argv = ['check', '--profile', profile, '--no-history', '--format', 'json']
        if evidence_only:
            argv.append('--evidence-only')
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

    def snapshots(self):
        return self.run(['snapshots', '--format', 'json'])[1]


def warn_ignored(module, ignored):
    """A warning for each option the chosen state does not use. ignored maps
    an option to the value that means 'not given' (its default)."""
    for name, unset in ignored.items():
        if module.params.get(name) not in (None, unset):
            module.warn("option '%s' is ignored with state=%s" % (name, module.params['state']))


def one_line(value):
    return str(value).replace('\t', ' ').replace('\n', ' ')


def make_diff(keys, header):
    """Ansible's diff: 'key = value' lines before and after."""
    before = ''.join('%s = %s\n' % (k['key'], one_line(k['from'])) for k in keys)
    after = ''.join('%s = %s\n' % (k['key'], one_line(k['to'])) for k in keys)
    return {'before': before, 'after': after,
            'before_header': '%s, before' % header, 'after_header': '%s, after' % header}


def summary(findings):
    counts = {}
    for f in findings:
        counts[f.get('severity')] = counts.get(f.get('severity'), 0) + 1
    return ', '.join('%d %s' % (counts.get(s, 0), s) for s in ('critical', 'warning', 'info'))


def at_least(status, threshold):
    """Whether STATUS is at least as severe as THRESHOLD (none: never)."""
    if threshold in (None, 'none') or status is None:
        return False
    return SEVERITY.get(status, 3) >= SEVERITY[threshold]


def worst_finding(findings):
    """'severity rule: summary' of the most severe finding (twadvise lists
    them most severe first), or None."""
    if not findings:
        return None
    f = findings[0]
    return '%s %s: %s' % (f.get('severity'), f.get('rule'), f.get('summary'))
