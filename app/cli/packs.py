"""hongtu commands: keys, pack build/sign/verify/install/rollback/list/remove/usb, admin set-pin."""
from __future__ import annotations

import functools
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

import click

from app.cli import CONFIG_HELP, cli, pack

CONFIG_OPTION = click.option("--config", "config_path", type=click.Path(path_type=Path),
                             help=CONFIG_HELP)


def _fails_cleanly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Print a PackError / PinError / ConfigError as one line on stderr and exit 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from app.config import ConfigError
        from app.packs.errors import PackError, PinError

        try:
            return fn(*args, **kwargs)
        except (PackError, PinError, ConfigError) as exc:
            click.echo(f"error: {exc}", err=True)
            problems = getattr(exc, "problems", None)
            if problems and len(problems) > 1:
                for p in problems[1:]:
                    click.echo(f"  {p}", err=True)
            sys.exit(1)

    return wrapper


def _config(config_path: Path | None):
    from app.config import load_config

    return load_config(config_path)


class _ProgressPrinter:
    """Percent lines on stderr, at most one per second and one per 5 %."""

    def __init__(self, label: str, quiet: bool) -> None:
        self.label, self.quiet, self.last_t, self.last_pct = label, quiet, 0.0, -5

    def __call__(self, done: int, total: int) -> None:
        if self.quiet or total < (8 << 20):  # small packs install in a blink
            return
        pct = int(done * 100 / total)
        now = time.monotonic()
        if pct == 100 or (pct >= self.last_pct + 5 and now - self.last_t >= 1.0):
            click.echo(f"{self.label}: {pct:3d}%  {done / 1e6:,.0f} / {total / 1e6:,.0f} MB", err=True)
            self.last_t, self.last_pct = now, pct


@cli.group()
def keys() -> None:
    """Publisher signing keys (Ed25519) for content packs."""


@keys.command("generate")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Name of the key pair: writes NAME.key (private) and NAME.pub (public).")
@_fails_cleanly
def keys_generate(out: Path) -> None:
    """Create a new publisher key pair: NAME.key (keep it secret, mode 0600) and NAME.pub.

    Give NAME.pub to every terminal (packs.trusted_keys in kiosk_config.yaml); sign packs with
    NAME.key. Existing files are never overwritten.
    """
    from app.packs.signing import fingerprint, generate_keypair, load_public_key

    key_path, pub_path = generate_keypair(out)
    click.echo(f"private key: {key_path} (keep it secret; never copy it to a terminal)")
    click.echo(f"public key:  {pub_path}  fingerprint {fingerprint(load_public_key(pub_path))}")


@pack.command("build")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The .hpack file to write.")
@click.option("--key", "key_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Also sign it with this private key (same as `pack sign` afterwards).")
@_fails_cleanly
def pack_build(folder: Path, out: Path, key_path: Path | None) -> None:
    """Validate the pack FOLDER and write it as one .hpack archive with its manifest.

    Refuses (and lists every problem) when the pack does not validate. Hidden files are left out.
    """
    from app.packs.archive import build_archive
    from app.packs.signing import load_private_key

    key = load_private_key(key_path) if key_path else None
    manifest = build_archive(folder, out, key=key)
    click.echo(f"built {out}: {manifest.pack_id} {manifest.version}, {len(manifest.files)} files, "
               f"{manifest.total_size / 1e6:,.1f} MB, {'signed' if key else 'unsigned'}")


@pack.command("sign")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--key", "key_path", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The publisher's private key (NAME.key).")
@_fails_cleanly
def pack_sign(file: Path, key_path: Path) -> None:
    """Sign the .hpack FILE with a private key (replaces an existing signature)."""
    from app.packs.archive import sign_archive
    from app.packs.signing import load_private_key

    sig = sign_archive(file, load_private_key(key_path))
    click.echo(f"signed {file} with key {sig.key_fingerprint}")


@pack.command("verify")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--trust", "trust", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Trusted public key file (repeatable); default: packs.trusted_keys from the config.")
@CONFIG_OPTION
@_fails_cleanly
def pack_verify(file: Path, trust: tuple[Path, ...], config_path: Path | None) -> None:
    """Check the .hpack FILE completely without installing it.

    Checks the signature against the trusted keys, every entry against the manifest, and every
    file's size and SHA-256. Exits 1 naming the first problem.
    """
    from app.packs.archive import verify_archive
    from app.packs.install import trusted_keys
    from app.packs.signing import trust_set

    cfg = _config(config_path)
    trusted = trust_set(trust) if trust else trusted_keys(cfg)
    v = verify_archive(file, trusted, cfg.packs.allow_unsigned, cfg.packs.max_unpacked_mb << 20)
    m = v.manifest
    click.echo(f"OK {file}: {m.pack_id} {m.version} (schema {m.schema}), {len(m.files)} files, "
               f"{m.total_size / 1e6:,.1f} MB, {v.signer.describe()}")


@pack.command("install")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-q", "--quiet", is_flag=True, help="No progress lines.")
@CONFIG_OPTION
@_fails_cleanly
def pack_install(file: Path, quiet: bool, config_path: Path | None) -> None:
    """Install the .hpack FILE and make it the active pack, atomically.

    Verifies signature and files while unpacking beside the installed packs, validates the
    content, then switches in one step. On any failure the current pack stays active. A running
    kiosk picks the new pack up at its next return to the home screen.

    A version that is already installed is verified just as fully, then re-activated; if its
    installed files are damaged, they are replaced by a fresh copy from FILE.
    """
    from app.packs.install import install_pack

    cfg = _config(config_path)
    r = install_pack(file, cfg, progress=_ProgressPrinter("unpacking", quiet))
    if r.already_installed:
        click.echo(f"{r.pack_id} {r.version} was already installed (archive verified, installed files intact); "
                   "it is now the active version")
    elif r.repaired:
        click.echo(f"{r.pack_id} {r.version} was installed but damaged ({r.repaired}); reinstalled from {file} "
                   f"({r.signer.describe()}); now active")
    else:
        click.echo(f"installed {r.pack_id} {r.version} ({r.signer.describe()}); now active"
                   + (f"; previous {r.previous} kept for rollback" if r.previous else ""))
    if r.removed:
        click.echo(f"removed old version(s): {', '.join(r.removed)} (packs.keep_versions = {cfg.packs.keep_versions})")


@pack.command("rollback")
@click.argument("pack_id", required=False)
@click.option("--to", "to", help="Switch to this installed version instead of the previous one.")
@CONFIG_OPTION
@_fails_cleanly
def pack_rollback(pack_id: str | None, to: str | None, config_path: Path | None) -> None:
    """Switch PACK_ID (default: the pack shown) to its previously active version, in one step.

    The version left becomes the previous one: rolling back again switches back to it.
    """
    from app.packs.install import rollback

    pid, left, now = rollback(_config(config_path), pack_id, to)
    click.echo(f"{pid}: {left} -> {now}; {now} is now active ({left} stays installed; rollback again returns to it)")


@pack.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@CONFIG_OPTION
@_fails_cleanly
def pack_list(as_json: bool, config_path: Path | None) -> None:
    """List installed packs and versions: * marks the active one, 'previous' the rollback target."""
    from app.packs.install import install_dir_of, list_installed

    cfg = _config(config_path)
    rows = list_installed(cfg)
    if as_json:
        click.echo(json.dumps([{"pack_id": r.pack_id, "version": r.version, "active": r.active,
                                "shown": r.current, "previous": r.previous, **r.info.to_dict()} for r in rows],
                              ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"no packs installed in {install_dir_of(cfg)}")
        return
    for r in rows:
        mark = "*" if r.active else " "
        notes = [n for n, on in (("shown", r.current), ("previous", r.previous)) if on]
        signer = r.info.signer or "unsigned"
        click.echo(f"{mark} {r.pack_id:24} {r.version:12} {r.info.size / 1e6:9,.1f} MB  {r.info.installed_at}  "
                   f"key {signer}{'  (' + ', '.join(notes) + ')' if notes else ''}")


@pack.command("remove")
@click.argument("pack_id")
@click.argument("version")
@CONFIG_OPTION
@_fails_cleanly
def pack_remove(pack_id: str, version: str, config_path: Path | None) -> None:
    """Delete installed VERSION of PACK_ID (never the active one)."""
    from app.packs.install import remove_version

    path = remove_version(_config(config_path), pack_id, version)
    click.echo(f"removed {pack_id} {version} ({path})")


@pack.command("usb")
@CONFIG_OPTION
@_fails_cleanly
def pack_usb(config_path: Path | None) -> None:
    """List .hpack files found on USB sticks and other removable media (packs.usb_mounts)."""
    from app.packs.archive import describe_archive
    from app.packs.install import trusted_keys
    from app.packs.usb import find_usb_packs

    cfg = _config(config_path)
    found = find_usb_packs(cfg)
    if not found:
        click.echo("no .hpack files found on removable media")
    trusted = trusted_keys(cfg)
    for p in found:
        s = describe_archive(p, trusted, cfg.packs.allow_unsigned, cfg.packs.max_unpacked_mb << 20)
        if s.ok:
            click.echo(f"{p}  {s.pack_id} {s.version}, {s.size / 1e6:,.1f} MB, {s.signer.describe()}")
        else:
            click.echo(f"{p}  cannot install: {s.problem}")


@cli.group()
def admin() -> None:
    """The kiosk's staff admin mode."""


@admin.command("set-pin")
@click.option("--pin-stdin", is_flag=True, help="Read the new PIN from the first line of standard input (scripts).")
@CONFIG_OPTION
@_fails_cleanly
def admin_set_pin(pin_stdin: bool, config_path: Path | None) -> None:
    """Set the admin PIN (4 to 12 digits); asks twice with hidden input.

    Only a salted scrypt hash is stored, in <data_dir>/admin_pin.json; any lockout is cleared.
    """
    from app.packs.pin import AdminPin, check_pin_format

    cfg = _config(config_path)
    if pin_stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = click.prompt("New admin PIN", hide_input=True, confirmation_prompt="Repeat the PIN")
    check_pin_format(pin)
    store = AdminPin(cfg)
    store.set_pin(pin)
    click.echo(f"admin PIN set (hash stored in {store.path})")
