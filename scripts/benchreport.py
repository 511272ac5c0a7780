#!/usr/bin/env python3
"""The report of make bench: the figures of the benchmark modules' boots
as a markdown table (OUT/bench.md), the per-vector allocation cost
against the table fill as a plot (OUT/alloc.png, by gnuplot), and each
of the issue's targets with its figure and whether it is met.

usage: benchreport.py BASE.LOG TIP.LOG OUT [HOST]
"""
import re
import subprocess
import sys

LINE = re.compile(r'msi-bench: (\S+) (?:median (\S+) min (\S+) max (\S+)|value (\S+)) (\S+)$')
FILLS = [1, 16, 256, 4096, 8192]


def parse(paths):
    figs = {}
    for path in paths:
        with open(path, errors='replace') as f:
            for line in f:
                m = LINE.search(line.strip())
                if not m:
                    continue
                name, med, lo, hi, val, unit = m.groups()
                if val is not None:
                    figs[name] = (float(val), float(val), float(val), unit)
                else:
                    figs[name] = (float(med), float(lo), float(hi), unit)
    return figs


def main():
    base_log, tip_log, out = sys.argv[1:4]
    host = sys.argv[4] if len(sys.argv) > 4 else 'not recorded'
    figs = parse([base_log, tip_log])
    missing = []

    def med(name):
        if name not in figs:
            missing.append(name)
            return float('nan')
        return figs[name][0]

    def cell(name, digits=1):
        if name not in figs:
            missing.append(name)
            return 'n/a'
        m, lo, hi, _ = figs[name]
        return f'{m:.{digits}f} ({lo:.{digits}f}-{hi:.{digits}f})'

    def ratio(a, b):
        return med(a) / med(b)

    md = []
    md.append('# MSI tables: what they cost, against their floors\n')
    md.append('x86_64 QEMU (TCG, 2 vCPUs), benchmark kernel of '
              'bench/kernel.config. Medians of 11 samples, (min-max). '
              'Ratios are of medians.\n')
    md.append(f'Host: {host}. TCG figures move with the host\'s load: '
              'compare runs on an otherwise idle machine.\n')

    md.append('## Lookup, ns per call (20 ms samples)\n')
    md.append('| table | kernel | floor: xa_load() | msi_get_virq() | ratio to floor '
              '| lock held by another CPU | ratio to floor |')
    md.append('|---|---|---|---|---|---|---|')
    rows = [('MSI-X (64 vectors)', '6.1 base', 'base.lookup.msix'),
            ('MSI-X (64 vectors)', 'series', 'tip.lookup.msix'),
            ('driver table (64 entries)', 'series', 'tip.lookup.driver')]
    for what, kernel, k in rows:
        # 6.1's lookup waits for the holder: a time blocked, not a cost
        held = '-' if k.startswith('base.') else \
            f'{ratio(k + ".msi_get_virq_locked", k + ".xa_load"):.2f}'
        md.append(f'| {what} | {kernel} | {cell(k + ".xa_load")} '
                  f'| {cell(k + ".msi_get_virq")} '
                  f'| {ratio(k + ".msi_get_virq", k + ".xa_load"):.2f} '
                  f'| {cell(k + ".msi_get_virq_locked")} | {held} |')
    md.append('')
    md.append("With the lock held, 6.1's msi_get_virq() waits for the holder, "
              'which holds the lock for 100 us at a time: that figure is time '
              'spent waiting and moves with the mutex\'s hand-over.\n')

    md.append('## Allocation and free, ns per vector, by table fill N\n')
    md.append('| N | floor: parent domain | at index | ratio | any index | ratio |')
    md.append('|---|---|---|---|---|---|')
    for n in FILLS:
        k = f'tip.alloc.{n}'
        md.append(f'| {n} | {cell(k + ".parent", 0)} | {cell(k + ".at_index", 0)} '
                  f'| {ratio(k + ".at_index", k + ".parent"):.2f} '
                  f'| {cell(k + ".any_index", 0)} '
                  f'| {ratio(k + ".any_index", k + ".parent"):.2f} |')
    md.append('')

    md.append('## Concurrency, vectors allocated and freed per second '
              '(200 ms samples)\n')
    md.append('| allocating from | 1 CPU | 2 CPUs | 2 CPUs / 1 CPU |')
    md.append('|---|---|---|---|')
    for what, k in (('control: lookups of one table, no lock (per second)',
                     'tip.conc.lookup'),
                    ('parent domain (floor)', 'tip.conc.parent'),
                    ('one table', 'tip.conc.one_table')):
        md.append(f'| {what} | {cell(k + ".1cpu", 0)} | {cell(k + ".2cpu", 0)} '
                  f'| {ratio(k + ".2cpu", k + ".1cpu"):.2f} |')
    md.append(f'| two tables of one device, one per CPU | - '
              f'| {cell("tip.conc.two_tables.2cpu", 0)} '
              f'| {ratio("tip.conc.two_tables.2cpu", "tip.conc.one_table.1cpu"):.2f} |')
    md.append('')

    md.append('## Memory, bytes\n')
    md.append('| | 6.1 base | series |')
    md.append('|---|---|---|')
    md.append(f'| sizeof(struct msi_desc) | {med("base.sizeof.msi_desc"):.0f} '
              f'| {med("tip.sizeof.msi_desc"):.0f} |')
    md.append(f'| sizeof(struct msi_device_data) | {med("base.sizeof.msi_device_data"):.0f} '
              f'| {med("tip.sizeof.msi_device_data"):.0f} |')
    md.append(f'| sizeof(struct msi_table) | - | {med("tip.sizeof.msi_table"):.0f} |')
    md.append(f'| driver table with its domain data, as allocated (ksize) | - '
              f'| {med("tip.ksize.msi_table"):.0f} |')
    md.append(f'| slab per driver table (256 tables) | - | {med("tip.mem.table"):.0f} |')
    md.append(f'| slab per table entry (8192 entries) | - | {med("tip.mem.entry"):.0f} |')
    md.append(f'| slab per parent domain interrupt, the floor (8192) | - '
              f'| {med("tip.mem.parent_irq"):.0f} |')
    md.append(f'| slab per entry above the floor | - '
              f'| {med("tip.mem.entry") - med("tip.mem.parent_irq"):.0f} |')
    md.append('')

    look = max(ratio('tip.lookup.driver.msi_get_virq', 'tip.lookup.driver.xa_load'),
               ratio('tip.lookup.msix.msi_get_virq', 'tip.lookup.msix.xa_load'))
    faster = ratio('tip.lookup.msix.msi_get_virq', 'base.lookup.msix.msi_get_virq')
    norm_tip = ratio('tip.lookup.msix.msi_get_virq', 'tip.lookup.msix.xa_load')
    norm_base = ratio('base.lookup.msix.msi_get_virq', 'base.lookup.msix.xa_load')
    scale = max(ratio('tip.alloc.4096.at_index', 'tip.alloc.16.at_index'),
                ratio('tip.alloc.4096.any_index', 'tip.alloc.16.any_index'))
    alloc = max(ratio(f'tip.alloc.{n}.{how}', f'tip.alloc.{n}.parent')
                for n in FILLS for how in ('at_index', 'any_index'))
    conc = ratio('tip.conc.two_tables.2cpu', 'tip.conc.one_table.2cpu')
    floor_conc = ratio('tip.conc.parent.2cpu', 'tip.conc.parent.1cpu')
    control = ratio('tip.conc.lookup.2cpu', 'tip.conc.lookup.1cpu')
    size = med('tip.sizeof.msi_desc') - med('base.sizeof.msi_desc')
    # (target, figure, met, why a miss is structural)
    targets = [
        ('lookup at most 1.2x the xa_load() floor (worse of MSI-X and driver table)',
         f'{look:.2f}x', look <= 1.2,
         'msi_get_virq() is a call on top of xa_load(), takes its own RCU '
         'read lock (two more calls with preemptible RCU) to read the '
         'descriptor, and reads the table, '
         'its device and, for the default table of a PCI device, the bus and '
         'msi_enabled, to keep 6.1\'s PCI/MSI case (one descriptor for all '
         'vectors). Under TCG a call and a return cost far more than on '
         'hardware, so the ratio mostly counts that extra call; it has not '
         'been measured on hardware.'),
        ("lookup faster than 6.1's msi_get_virq(dev, index), MSI-X: in ns "
         "and relative to each boot's own xa_load() floor",
         f'{faster:.2f}x in ns; {norm_tip:.2f}x the floor against '
         f'{norm_base:.2f}x on 6.1', faster < 1.0 and norm_tip < norm_base,
         'The two kernels are separate boots, and the same xa_load() code '
         'takes a different time in each, so both comparisons must hold. '
         "The uncontended 6.1 lookup takes and releases the device's mutex, "
         'the series\' its RCU read lock and the checks above.'),
        ('per vector at N=4096 within 1.5x of N=16 (worse of at and any index)',
         f'{scale:.2f}x', scale <= 1.5, ''),
        ('allocation at most 1.3x the parent floor (worst N and mode)',
         f'{alloc:.2f}x', alloc <= 1.3,
         'Each entry adds a msi_desc, an xarray slot and the irq_data of the '
         'table domain\'s level to what the parent allocates.'),
        ('two tables on 2 CPUs at least 1.6x one table on 2 CPUs',
         f'{conc:.2f}x (parent floor 2 CPUs / 1 CPU: {floor_conc:.2f}x, '
         f'lookups: {control:.2f}x)', conc >= 1.6,
         'The floor itself does not scale: 6.1 allocates and frees every '
         'hierarchical interrupt under the global irq_domain_mutex and '
         'irq descriptors under the global sparse_irq_lock. Per-table '
         'locks cannot beat their parent. The lookups, which take no lock, '
         'show that the two vCPUs do run in parallel.'),
        ('struct msi_desc no larger than in 6.1',
         f'{size:+.0f} bytes', size <= 0, ''),
    ]
    md.append('## Targets\n')
    md.append('| target | figure | met |')
    md.append('|---|---|---|')
    for what, fig, ok, _ in targets:
        md.append(f'| {what} | {fig} | {"yes" if ok else "**no**"} |')
    md.append('')
    for what, fig, ok, why in targets:
        if not ok and why:
            md.append(f'- Missed: {what}: {fig}. {why}')
    md.append('')
    if missing:
        md.append('Missing figures: ' + ', '.join(sorted(set(missing))) + '\n')

    with open(f'{out}/bench.md', 'w') as f:
        f.write('\n'.join(md))

    with open(f'{out}/alloc.dat', 'w') as f:
        f.write('# N parent lo hi at lo hi any lo hi (ns per vector)\n')
        for n in FILLS:
            row = [str(n)]
            for how in ('parent', 'at_index', 'any_index'):
                m, lo, hi, _ = figs.get(f'tip.alloc.{n}.{how}', (0, 0, 0, ''))
                row += [str(m), str(lo), str(hi)]
            f.write(' '.join(row) + '\n')
    plot = f'''set terminal png size 900,600
set output '{out}/alloc.png'
set title 'MSI table allocation and free per vector (x86-64 QEMU TCG)' noenhanced
set xlabel 'vectors allocated before they are freed (N)'
set ylabel 'ns per vector (median, min-max)'
set logscale x 2
set xrange [0.5:16384]
set yrange [0:*]
set key top left
set grid
plot '{out}/alloc.dat' using 1:2:3:4 with yerrorlines title 'floor: parent domain', \\
     '' using 1:5:6:7 with yerrorlines title 'table, at index', \\
     '' using 1:8:9:10 with yerrorlines title 'table, any index'
'''
    with open(f'{out}/alloc.gp', 'w') as f:
        f.write(plot)
    subprocess.run(['gnuplot', f'{out}/alloc.gp'], check=True)
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main())
