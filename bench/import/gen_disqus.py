#!/usr/bin/env python3
"""Writes a synthetic Disqus XML export for the import benchmark.

    gen_disqus.py COMMENTS THREADS OUT

Every thread gets COMMENTS/THREADS posts arranged in deep reply chains (each post replies to
the one before it, and a new top-level post starts a chain every CHAIN posts). Every other
thread lists its posts newest first, so replies come before their parents in the file, as
real exports sometimes do. HTML bodies, authors (with e-mails), some deleted and spam posts.
Written as a stream; memory stays small whatever the size.
"""
import sys

CHAIN = 40


def main():
    comments, threads, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    per_thread = max(1, comments // threads)
    with open(out, "w", encoding="utf-8", buffering=1 << 20) as f:
        w = f.write
        w('<?xml version="1.0" encoding="utf-8"?>\n')
        w('<disqus xmlns="http://disqus.com" '
          'xmlns:dsq="http://disqus.com/disqus-internals">\n')
        for t in range(threads):
            w(f'  <thread dsq:id="{t}">\n    <id>story-{t}</id>\n    <forum>bench</forum>\n'
              f'    <link>https://news.example/story/{t}</link>\n'
              f'    <title>Story number {t}</title>\n'
              f'    <createdAt>2020-01-01T00:00:00Z</createdAt>\n'
              f'    <isClosed>false</isClosed>\n    <isDeleted>false</isDeleted>\n'
              f'  </thread>\n')
        written = 0
        for t in range(threads):
            n = per_thread if t < threads - 1 else comments - written
            order = range(n) if t % 2 == 0 else range(n - 1, -1, -1)
            for p in order:
                pid = f"{t}-{p}"
                parent = (f'    <parent dsq:id="{t}-{p - 1}"/>\n'
                          if p % CHAIN != 0 else "")
                deleted = "true" if p % 97 == 5 else "false"
                spam = "true" if p % 89 == 7 else "false"
                a = (t * 31 + p) % 50_000
                w(f'  <post dsq:id="{pid}">\n    <id/>\n'
                  f'    <message><![CDATA[<p>Comment {p} on story {t}: '
                  f'I <b>really</b> think <a href="https://example.com/{p}">this</a> '
                  f'matters.</p><p>Second paragraph &amp; more.</p>]]></message>\n'
                  f'    <createdAt>2020-02-{1 + p % 28:02d}T{p % 24:02d}:{p % 60:02d}:{t % 60:02d}Z</createdAt>\n'
                  f'    <isDeleted>{deleted}</isDeleted>\n    <isSpam>{spam}</isSpam>\n'
                  f'    <author>\n      <email>reader{a}@mail.example</email>\n'
                  f'      <name>Reader {a}</name>\n      <isAnonymous>false</isAnonymous>\n'
                  f'    </author>\n    <ipAddress>127.0.0.1</ipAddress>\n'
                  f'    <thread dsq:id="{t}"/>\n{parent}  </post>\n')
            written += n
        w('</disqus>\n')


if __name__ == "__main__":
    main()
