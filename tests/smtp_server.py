"""A small SMTP server on loopback for tests of real delivery: it takes mail, or misbehaves as told."""

from __future__ import annotations

import base64
import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Behaviour:
    """How the server answers: which password it takes, which recipients it refuses, whether it greets at all."""

    password: str | None = None  # None: no login needed
    refuse: frozenset[str] = frozenset()
    silent: bool = False  # accepts the connection and never says a word
    delay: float = 0  # seconds before the greeting
    tls: ssl.SSLContext | None = None  # offers STARTTLS with this context
    implicit_tls: ssl.SSLContext | None = None  # TLS from the first byte (port 465)
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        behaviour = self.server.behaviour
        if behaviour.silent:
            self.server.stop.wait(30)
            return
        self.server.stop.wait(behaviour.delay)
        if behaviour.implicit_tls:
            self._wrap(behaviour.implicit_tls)
        self._say("220 localhost fake SMTP")
        sender, recipients = "", []
        while line := self.rfile.readline():
            command = line.decode().rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                offers = ["250-localhost"]
                if behaviour.tls and not isinstance(self.connection, ssl.SSLSocket):
                    offers.append("250-STARTTLS")
                if behaviour.password is not None:
                    offers.append("250-AUTH PLAIN")
                self._say("\r\n".join([*offers, "250 8BITMIME"]))
            elif verb == "STARTTLS":
                self._say("220 go ahead")
                try:
                    self._wrap(behaviour.tls)
                except (ssl.SSLError, OSError):
                    return  # the client did not trust the certificate
            elif verb == "AUTH":
                user, _, password = base64.b64decode(command.split()[2]).decode().strip("\0").partition("\0")
                behaviour.logins.append(user)
                self._say("235 ok" if password == behaviour.password else "535 5.7.8 Authentication failed")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                self._say("250 ok")
            elif verb == "RCPT":
                recipient = command.split(":", 1)[1].strip(" <>")
                if recipient in behaviour.refuse:
                    self._say("550 5.1.1 No such user here")
                else:
                    recipients.append(recipient)
                    self._say("250 ok")
            elif verb == "DATA":
                self._say("354 end with .")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                behaviour.received.append((sender, recipients, data))
                self._say("250 queued")
            elif verb == "RSET":
                self._say("250 ok")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("502 not implemented")

    def _say(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")
        self.wfile.flush()

    def _wrap(self, context: ssl.SSLContext) -> None:
        self.connection = self.request = context.wrap_socket(self.connection, server_side=True)
        self.rfile = self.connection.makefile("rb")
        self.wfile = self.connection.makefile("wb")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, behaviour: Behaviour):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = behaviour
        self.stop = threading.Event()


class SMTPServer:
    """Serves in a thread while open: `with SMTPServer(Behaviour()) as server:` ... server.port."""

    def __init__(self, behaviour: Behaviour):
        self.behaviour = behaviour
        self._server = _Server(behaviour)
        self.port = self._server.server_address[1]

    def __enter__(self) -> SMTPServer:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.stop.set()
        self._server.shutdown()
        self._server.server_close()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1, made with the openssl command, and its key."""
    if shutil.which("openssl") is None:
        import pytest
        pytest.skip("needs the openssl command")
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(certificate)], check=True, capture_output=True)
    return certificate, key


def server_context(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server-side TLS context with a fresh self-signed certificate, and the certificate's path."""
    certificate, key = self_signed_certificate(folder)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    return context, certificate


def unused_port() -> int:
    """A loopback port nothing listens on (as far as anyone can tell)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
