"""A real SMTP server for tests (aiosmtpd): stores each message it receives as a file.

Usage: python3 smtp_sink.py FOLDER PORT. Prints "ready" once it listens on 127.0.0.1:PORT and
stops when its standard input closes. Each message is written whole (envelope recipients in an
X-Rcpt-To line, then the message as received) and renamed into place, so a reader never sees
half a file.
"""
import os
import sys
import time

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = os.path.join(self.folder, "%020d-%04d.eml" % (time.time_ns(), self.count))
        with open(name + ".part", "wb") as f:
            f.write(b"X-Rcpt-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".part", name)
        return "250 Message accepted for delivery"


def main():
    folder, port = sys.argv[1], int(sys.argv[2])
    controller = Controller(Store(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
