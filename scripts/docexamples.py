#!/usr/bin/env python3
"""Extract the example drivers of an rst file, so that they can be built.

Every code block named "msi-tables-example-NAME" (the :name: option of
a code-block directive) is written to DIR/NAME.c, and DIR/Kbuild lists
them as modules.

usage: docexamples.py RST DIR
"""
import os
import re
import sys


def examples(text):
    """Yield (name, source) of the named example code blocks."""
    lines = text.split('\n')
    i = 0
    while i < len(lines):
        if not lines[i].startswith('.. code-block:: c'):
            i += 1
            continue
        i += 1
        name = None
        while i < len(lines) and re.match(r'^   :\w+:', lines[i]):
            m = re.match(r'^   :name: msi-tables-example-([\w-]+)$', lines[i])
            if m:
                name = m.group(1).replace('-', '_')
            i += 1
        body = []
        while i < len(lines) and (lines[i] == '' or lines[i].startswith('   ')):
            body.append(lines[i][3:])
            i += 1
        if name:
            yield name, '\n'.join(body).strip('\n') + '\n'


def main():
    rst, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    names = []
    with open(rst) as f:
        for name, src in examples(f.read()):
            if name in names:
                sys.exit('docexamples: %s twice in %s' % (name, rst))
            names.append(name)
            with open(os.path.join(out, name + '.c'), 'w') as c:
                c.write(src)
    if not names:
        sys.exit('docexamples: no examples in %s' % rst)
    with open(os.path.join(out, 'Kbuild'), 'w') as k:
        k.write('obj-m := %s\n' % ' '.join(n + '.o' for n in names))
    print(' '.join(names))


if __name__ == '__main__':
    main()
