#!/usr/bin/env python3
"""The straightforward sequential exporter the Python SDK's behaviour describes: per item,
json.dump(data, indent=4, ensure_ascii=False) to json/<stem>.json and shutil.copy of the original
to origin_files/<name>. Prints one JSON line of results (same shape as the Node runners).

usage: python_export.py ITEMS_JSONL OUT_DIR COUNT [--originals]
"""
import json
import os
import shutil
import sys
import threading
import time


def rss_bytes(field='VmRSS:'):
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    return 0


def main():
    items_path, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    originals = '--originals' in sys.argv[4:]
    base = os.path.dirname(os.path.abspath(items_path))
    json_dir = os.path.join(out, 'json')
    origin_dir = os.path.join(out, 'origin_files')
    os.makedirs(json_dir, exist_ok=True)
    if originals:
        os.makedirs(origin_dir, exist_ok=True)

    started = time.perf_counter()
    state = {'done': 0, 'stop': False}
    series = []
    marks = {}

    def sampler():
        while not state['stop']:
            series.append([round((time.perf_counter() - started) * 1000), rss_bytes(), state['done']])
            time.sleep(0.05)

    thread = threading.Thread(target=sampler, daemon=True)
    thread.start()
    with open(items_path, encoding='utf-8') as lines:
        for line in lines:
            if not line.strip():
                continue
            item = json.loads(line)
            files = item['files']
            name = files['file_name_original']
            stem = os.path.splitext(name)[0]
            with open(os.path.join(json_dir, stem + '.json'), 'w', encoding='utf-8') as f:
                json.dump(item['data'], f, indent=4, ensure_ascii=False)
            if originals:
                shutil.copy(os.path.join(base, files['path']), os.path.join(origin_dir, name))
            state['done'] += 1
            if state['done'] == -(-count // 10):
                marks['10'] = rss_bytes()
            elif state['done'] == -(-count // 2):
                marks['50'] = rss_bytes()
    seconds = time.perf_counter() - started
    state['stop'] = True
    thread.join()
    marks['100'] = rss_bytes()
    mb = lambda b: round(b / 1048576, 1)
    # VmHWM, not getrusage's ru_maxrss: that survives exec, so it would report the harness's RSS.
    peak = max(rss_bytes('VmHWM:'), max((s[1] for s in series), default=0))
    step = max(1, -(-len(series) // 60))
    print(json.dumps({
        'items': state['done'],
        'seconds': seconds,
        'cpuSeconds': sum(os.times()[:2]),
        'peakRssMb': mb(peak),
        'rssMb': {k: mb(v) for k, v in marks.items()},
        'series': [[t, mb(r), n] for i, (t, r, n) in enumerate(series) if i % step == 0],
    }))


if __name__ == '__main__':
    main()
