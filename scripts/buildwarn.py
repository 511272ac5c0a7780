#!/usr/bin/env python3
"""Compare compiler and sparse warnings of a build log against a baseline.

  buildwarn.py keys TREE LOG          print the normalized warnings of LOG
  buildwarn.py new TREE LOG BASEKEYS  print the warnings of LOG which are not
                                      in BASEKEYS; exit 1 if there are any

A warning is normalized to "file: message", without line and column, so
that the same warning in a file which moved by a few lines is recognized.
"""
import re
import sys

WARN = re.compile(r'^(?P<file>[^\s:]+):\d+(?::\d+)?: (?P<kind>warning|error): (?P<msg>.*)$')
OTHER = re.compile(r'^(WARNING|ERROR): (?P<msg>.*)$')


def keys(tree, log):
    found = {}
    prefix = tree.rstrip('/') + '/'
    with open(log, errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            m = WARN.match(line)
            if m:
                path = m.group('file')
                if path.startswith(prefix):
                    path = path[len(prefix):]
                path = re.sub(r'^(\.\./)+(linux/)?', '', path)
                key = '%s: %s: %s' % (path, m.group('kind'), m.group('msg'))
                found.setdefault(key, line)
                continue
            m = OTHER.match(line)
            if m:
                found.setdefault(line, line)
    return found


def main():
    if len(sys.argv) == 4 and sys.argv[1] == 'keys':
        for k in sorted(keys(sys.argv[2], sys.argv[3])):
            print(k)
        return 0
    if len(sys.argv) == 5 and sys.argv[1] == 'new':
        with open(sys.argv[4]) as f:
            base = set(line.rstrip('\n') for line in f)
        new = {k: v for k, v in keys(sys.argv[2], sys.argv[3]).items() if k not in base}
        for k in sorted(new):
            print(new[k])
        return 1 if new else 0
    sys.exit(__doc__)


if __name__ == '__main__':
    sys.exit(main())
