#!/usr/bin/env python3
"""A real SMTP server for tests (aiosmtpd): STARTTLS, AUTH PLAIN/LOGIN, mail written to a directory.

Each accepted message becomes <maildir>/<n>.eml (raw, as received) and <n>.json:
  {"mail_from", "rcpt_tos", "from", "to", "subject", "message_id", "date", "content_language",
   "tls", "auth_mechanism", "text", "html", "inline", "attachments"}
with headers and bodies decoded (RFC 2047 words, base64/quoted-printable, charset). "inline" lists the
non-multipart parts with a Content-ID or "Content-Disposition: inline" (e.g. images in multipart/related),
in message order, as {"content_id" (without <>), "filename", "content_type", "size", "sha256"} of the
decoded bytes. "attachments" lists the parts with "Content-Disposition: attachment", in message order, as
{"filename", "content_type" (e.g. "text/calendar"), "parameters" (the Content-Type parameters, names
lower-cased, e.g. {"charset": "utf-8", "method": "PUBLISH", "name": "x.ics"}), "size", "sha256", "text",
"base64"}: "text" is the decoded text of a text/* attachment (its charset applied, line breaks as sent) and
null otherwise, "base64" the decoded bytes of any other attachment (base64 without line breaks) and null for
text/*. The .json is written last and atomically, so a reader that sees it can read both files.

RCPT TO an address starting with "reject@" is refused with 550. AUTH is offered only after
STARTTLS (aiosmtpd's default), and accepts exactly --user/--password.

Prints "READY <port>" (and "READY-TLS <port>" for --tls-port) once listening; --port 0 picks a free port.
"""

import argparse
import asyncio
import base64
import email
import email.policy
import email.utils
import hashlib
import json
import os
import ssl
import subprocess
import sys
import tempfile

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def self_signed_certificate(directory):
    """A certificate for localhost and 127.0.0.1 that clients can also use as their trust root."""
    cert = os.path.join(directory, "smtp-test-cert.pem")
    key = os.path.join(directory, "smtp-test-key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", key, "-out", cert],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return cert, key


class MaildirHandler:
    def __init__(self, maildir):
        self.maildir = maildir
        os.makedirs(maildir, exist_ok=True)
        existing = [int(name[:-4]) for name in os.listdir(maildir) if name.endswith(".eml") and name[:-4].isdigit()]
        self.count = max(existing, default=0)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("reject@"):
            return "550 5.1.1 <%s>: recipient rejected" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.maildir, str(self.count))
        raw = envelope.original_content or envelope.content
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        message = email.message_from_bytes(raw, policy=email.policy.default)

        def body(subtype):
            part = message.get_body(preferencelist=(subtype,))
            return part.get_content() if part is not None else None

        def header(name):
            value = message[name]
            return None if value is None else str(value)

        def inline_parts():
            parts = []
            for part in message.walk():
                if part.is_multipart():
                    continue
                content_id = part["Content-ID"]
                if content_id is None and part.get_content_disposition() != "inline":
                    continue
                data = part.get_payload(decode=True) or b""
                parts.append({
                    "content_id": None if content_id is None else str(content_id).strip().strip("<>"),
                    "filename": part.get_filename(),
                    "content_type": part.get_content_type(),
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                })
            return parts

        def attachments():
            parts = []
            for part in message.walk():
                if part.is_multipart() or part.get_content_disposition() != "attachment":
                    continue
                data = part.get_payload(decode=True) or b""
                is_text = part.get_content_maintype() == "text"
                text = None
                if is_text:
                    try:
                        text = part.get_content()
                    except LookupError:  # an unknown charset
                        text = data.decode("utf-8", errors="replace")
                parameters = (part.get_params() or [])[1:]  # the first is the type itself
                parts.append({
                    "filename": part.get_filename(),
                    "content_type": part.get_content_type(),
                    "parameters": {name.lower(): email.utils.collapse_rfc2231_value(value)
                                   for name, value in parameters},
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "text": text,
                    "base64": None if is_text else base64.b64encode(data).decode("ascii"),
                })
            return parts

        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": header("From"),
            "to": header("To"),
            "subject": header("Subject"),
            "message_id": header("Message-ID"),
            "date": header("Date"),
            "content_language": header("Content-Language"),
            "tls": server.transport.get_extra_info("sslcontext") is not None,
            "auth_mechanism": getattr(session, "auth_mechanism", None),
            "text": body("plain"),
            "html": body("html"),
            "inline": inline_parts(),
            "attachments": attachments(),
        }
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False, indent=2)
        os.replace(base + ".json.tmp", base + ".json")
        return "250 OK message %d accepted" % self.count


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode() and auth_data.password == password.encode())
        if ok:
            session.auth_mechanism = mechanism
        # handled=False: aiosmtpd then sends 235 or 535 itself (handled=True would leave the client waiting).
        return AuthResult(success=ok, handled=False)
    return check


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="plain port offering STARTTLS (0: any free port)")
    parser.add_argument("--tls-port", type=int, help="also listen with implicit TLS on this port (0: any)")
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--user", default="mailer")
    parser.add_argument("--password", default="secret")
    parser.add_argument("--cert", help="PEM certificate (default: a fresh self-signed one)")
    parser.add_argument("--key", help="PEM private key for --cert")
    parser.add_argument("--cert-out", help="copy the certificate in use to this path (for clients to trust)")
    args = parser.parse_args()

    cert, key = args.cert, args.key
    if not cert:
        cert, key = self_signed_certificate(tempfile.mkdtemp(prefix="smtp-test-"))
    if args.cert_out:
        with open(cert, "rb") as src, open(args.cert_out, "wb") as dst:
            dst.write(src.read())
    tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_context.load_cert_chain(cert, key)

    handler = MaildirHandler(args.maildir)

    def smtp(implicit_tls):
        return SMTP(
            handler,
            hostname="smtp.test",
            tls_context=None if implicit_tls else tls_context,
            authenticator=authenticator(args.user, args.password),
            auth_require_tls=not implicit_tls,  # on the implicit-TLS port the whole connection is TLS already
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: smtp(False), args.host, args.port)
    print("READY %d" % server.sockets[0].getsockname()[1], flush=True)
    if args.tls_port is not None:
        tls_server = await loop.create_server(lambda: smtp(True), args.host, args.tls_port, ssl=tls_context)
        print("READY-TLS %d" % tls_server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
