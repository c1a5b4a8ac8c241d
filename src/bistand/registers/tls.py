"""Mutual TLS for the register services: the organisation's certificate in production, a test CA in
development.

SSBTEK and Navet accept only clients that present the municipality's organisation certificate (issued by
a CA the agency trusts) and they answer with a server certificate the municipality verifies against a CA
bundle. :class:`TlsFiles` names the three files a client needs; :func:`make_test_pki` makes a fresh test
CA with a server and a client certificate, so that the simulator and the test suite run the same
certificate exchange as production. Nothing here is a secret worth keeping: the test CA is made anew at
every start of the simulator and lives in a folder only its owner can read.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
from dataclasses import dataclass
from pathlib import Path

__all__ = ["TlsFiles", "default_tls_dir", "ensure_test_pki", "make_test_pki", "server_context"]

TLS_DIR_ENV = "BISTAND_REGISTERS_TLS_DIR"


@dataclass(frozen=True, slots=True)
class TlsFiles:
    """The client side of mutual TLS: certificate and key (PEM) and the CA bundle to verify the server."""

    cert: Path
    key: Path
    ca: Path

    @classmethod
    def in_dir(cls, folder: Path) -> TlsFiles:
        """The files :func:`make_test_pki` writes for the client."""
        return cls(folder / "client.crt", folder / "client.key", folder / "ca.crt")

    @classmethod
    def from_env(cls) -> TlsFiles | None:
        """``BISTAND_REGISTERS_CERT``/``_KEY``/``_CA`` (production), else the simulator's test folder."""
        cert, key, ca = (os.environ.get(f"BISTAND_REGISTERS_{n}") for n in ("CERT", "KEY", "CA"))
        if cert and key and ca:
            return cls(Path(cert), Path(key), Path(ca))
        files = cls.in_dir(default_tls_dir())
        return files if files.ca.exists() else None

    def client_context(self) -> ssl.SSLContext:
        """A client context that verifies the server against ``ca`` and presents ``cert``/``key``."""
        context = ssl.create_default_context(cafile=str(self.ca))
        context.load_cert_chain(str(self.cert), str(self.key))
        return context


def default_tls_dir() -> Path:
    """Where the simulator writes its test CA and where clients look for it by default."""
    configured = os.environ.get(TLS_DIR_ENV)
    if configured:
        return Path(configured)
    data = os.environ.get("BISTAND_DATA_DIR")
    base = Path(data) if data else Path(__file__).resolve().parents[3] / "var"
    return base / "registers-tls"


def server_context(folder: Path) -> ssl.SSLContext:
    """The simulator's context: its certificate, and client certificates checked against the test CA.

    A client certificate is *optional* at the handshake so that ``/healthz`` and the admin endpoints stay
    reachable for tools; the SOAP services refuse a request whose connection did not present one.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(folder / "server.crt"), str(folder / "server.key"))
    context.load_verify_locations(cafile=str(folder / "ca.crt"))
    context.verify_mode = ssl.CERT_OPTIONAL
    return context


def make_test_pki(
    folder: Path, *, organisation: str = "Exempelkommun", orgnr: str = "2120000000"
) -> TlsFiles:
    """Write a new test CA, a server certificate for 127.0.0.1/localhost and a client (organisation)
    certificate into ``folder`` (owner-only); return the client's files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    until = now + dt.timedelta(days=30)

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ]
        )

    def write(stem: str, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> None:
        key_path = folder / f"{stem}.key"
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        key_path.chmod(0o600)
        (folder / f"{stem}.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = name("Bistånd test CA (registers simulator)")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )

    def issue(common: str, usage: x509.ObjectIdentifier, san: list[x509.GeneralName] | None):
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(common))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(until)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        )
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        return key, builder.sign(ca_key, hashes.SHA256())

    server_key, server_cert = issue(
        "registers-simulator",
        ExtendedKeyUsageOID.SERVER_AUTH,
        [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))],
    )
    client_key, client_cert = issue(f"{orgnr} {organisation}", ExtendedKeyUsageOID.CLIENT_AUTH, None)
    write("server", server_key, server_cert)
    write("client", client_key, client_cert)
    # The CA last: clients take its presence as "the folder is ready".
    ca_tmp = folder / "ca.crt.tmp"
    ca_tmp.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    ca_tmp.replace(folder / "ca.crt")
    return TlsFiles.in_dir(folder)


def ensure_test_pki(folder: Path) -> TlsFiles:
    """The test PKI in ``folder``: made at start-up when missing or about to expire, else kept, so that a
    restarted simulator does not cut off the web and worker processes that already trust its CA."""
    from cryptography import x509

    files = TlsFiles.in_dir(folder)
    needed = [files.cert, files.key, files.ca, folder / "server.crt", folder / "server.key"]
    if all(p.exists() for p in needed):
        try:
            cert = x509.load_pem_x509_certificate((folder / "server.crt").read_bytes())
            if cert.not_valid_after_utc - dt.datetime.now(dt.UTC) > dt.timedelta(days=2):
                return files
        except ValueError:
            pass
    return make_test_pki(folder)
