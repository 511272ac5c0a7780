#!/usr/bin/env python3
"""Count the results of a KUnit run from kunit.py's --json output.

usage: kunit-json.py FILE [EXPECTED_SKIPS]

Prints "PASSED FAILED SKIPPED": the test cases which passed, which
failed or crashed, and which were skipped, over every suite; the cases
which did not pass are listed on standard error. EXPECTED_SKIPS is a
comma separated list of globs of suite.case names which the machine
cannot serve (e.g. IMS cases where the platform refuses IMS): those
skips are listed, not counted.
"""
import fnmatch
import json
import sys


def cases(group, path=()):
    """Yield (name, status) of every test case of a KernelCI test group."""
    name = path + (group['name'],) if path or group['name'] != 'KUnit Test Group' else ()
    for case in group.get('test_cases', []):
        yield '.'.join(name + (case['name'],)), case['status']
    for sub in group.get('sub_groups', []):
        yield from cases(sub, name)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    expected = [g.strip() for g in sys.argv[2].split(',')] if len(sys.argv) == 3 else []
    expected = [g for g in expected if g]
    with open(sys.argv[1], encoding='utf-8') as f:
        group = json.load(f)
    counts = {'PASS': 0, 'FAIL': 0, 'SKIP': 0}
    for name, status in cases(group):
        if status not in counts:
            status = 'FAIL'  # ERROR: crashed
        if status == 'SKIP' and any(fnmatch.fnmatchcase(name, g) for g in expected):
            print('kunit: %s: skipped, as expected on this machine' % name,
                  file=sys.stderr)
            continue
        counts[status] += 1
        if status != 'PASS':
            print('kunit: %s: %s' % (name, status), file=sys.stderr)
    print(counts['PASS'], counts['FAIL'], counts['SKIP'])


if __name__ == '__main__':
    main()
