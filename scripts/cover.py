#!/usr/bin/env python3
"""Cover letter helpers for the series export.

  cover.py read FILE        print the cover letter's subject and text, the
                            form git's branch description takes
  cover.py setdate FILE D   set the cover letter's Date: header to D, so
                            that an export of an unchanged series is
                            byte for byte the same
  cover.py fill FILE        put the description on stdin (subject line,
                            blank line, text) in place of the subject and
                            blurb placeholders, which git format-patch
                            leaves when HEAD is not the described branch;
                            a filled cover letter stays as it is
"""
import re
import sys


def read(path):
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    subject = ''
    body_start = 0
    for i, line in enumerate(lines):
        if line.startswith('Subject: '):
            subject = re.sub(r'^\[PATCH[^\]]*\]\s*', '', line[len('Subject: '):])
            # folded subject lines continue with whitespace
            j = i + 1
            while j < len(lines) and lines[j].startswith((' ', '\t')):
                subject += ' ' + lines[j].strip()
                j += 1
        if line == '' and subject:
            body_start = i + 1
            break
    body = []
    for line in lines[body_start:]:
        # git's shortlog starts with "Author Name (N):"
        if re.match(r'^\S.* \(\d+\):$', line):
            break
        body.append(line)
    text = '\n'.join(body).strip('\n')
    print(subject + '\n\n' + text)


def setdate(path, date):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    text = re.sub(r'^Date: .*$', 'Date: ' + date, text, count=1, flags=re.M)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def fill(path):
    desc = sys.stdin.read().strip('\n')
    subject, _, blurb = desc.partition('\n')
    with open(path, encoding='utf-8') as f:
        text = f.read()
    if not subject:
        sys.exit('cover.py: no description for ' + path)
    text = text.replace('*** SUBJECT HERE ***', subject.strip(), 1)
    text = text.replace('*** BLURB HERE ***', blurb.strip('\n'), 1)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'read':
        read(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == 'fill':
        fill(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == 'setdate':
        setdate(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
