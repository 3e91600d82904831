"""`flask questions import` and `flask questions export`."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
from flask import current_app

from quizapp.banks.checker import BANK_FILE, check_paths, discover_banks
from quizapp.banks.cli import questions_cli
from quizapp.banks.yamlfile import YamlError, load_yaml
from quizapp.content.documents import CatalogueError, Document, load_catalogue
from quizapp.formats.bankfile import write_bank
from quizapp.formats.model import FormatError
from quizapp.formats.service import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    export_bank,
    guess_format,
    import_text,
)
from quizapp.formats.textio import decode, slug


def _questions_dir() -> Path:
    return Path(current_app.config["QUESTIONS_DIR"])


def _documents() -> dict[str, Document]:
    try:
        return load_catalogue(_questions_dir() / "sources")
    except CatalogueError:
        return {}


@questions_cli.command("import", short_help="Convert a GIFT, Aiken, Moodle XML, Anki or CSV file into a bank.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMATS), help="Input format (default: from the extension).")
@click.option("--output", type=click.Path(path_type=Path),
              help="Bank folder to write, or a .yaml file for a single-file bank (default: questions/<bank>/).")
@click.option("--bank", "bank_id", help="Bank id (default: from the file name).")
@click.option("--title", help="Bank title, also the topic of questions outside any category (default: file name).")
@click.option("--force", is_flag=True, help="Overwrite an existing bank at the output path.")
def import_command(file: Path, fmt: str | None, output: Path | None, bank_id: str | None, title: str | None,
                   force: bool) -> None:
    """Convert FILE (GIFT, Aiken, Moodle XML, Anki text or CSV) into a bank; report what was not converted."""
    fmt = fmt or guess_format(file.name)
    if fmt is None:
        raise click.ClickException(f"cannot tell the format of {file.name}; give --format "
                                   f"({', '.join(IMPORT_FORMATS)})")
    bank_id = bank_id or slug(file.stem) or "imported"
    title = title or file.stem
    target = output or _questions_dir() / bank_id
    single = target.suffix in (".yaml", ".yml")
    if target.exists() and not force:
        raise click.ClickException(f"{target} already exists; use --force to overwrite it")
    other = _bank_using(bank_id, target)
    if other is not None:
        raise click.ClickException(f"bank id {bank_id!r} is already used by {other}; choose another with --bank")
    documents = _documents()
    try:
        imported = import_text(decode(file.read_bytes(), "import it again"), fmt, bank_id, title, documents)
    except FormatError as error:
        raise click.ClickException(f"{file}: {error}") from None
    except OSError as error:
        raise click.ClickException(f"cannot read {file}: {error.strerror}") from None
    for problem in imported.problems:
        click.echo(f"{file}:{problem.line}: {problem.reason}", err=True)
    if not imported.questions:
        raise click.ClickException(f"{file}: no question could be converted; nothing was written")
    header = imported.header(file.name, fmt)
    _check_before_writing(imported.meta, imported.questions, header, single)
    try:
        written = write_bank(target, imported.meta, imported.questions, header, single)
    except OSError as error:
        raise click.ClickException(f"cannot write {target}: {error.strerror}") from None
    skipped = sum(1 for problem in imported.problems if problem.skipped)
    click.echo(f"Wrote {', '.join(str(path) for path in written)}: {len(imported.questions)} question(s) "
               f"from {imported.items} item(s); {skipped} item(s) not converted, "
               f"{len(imported.problems) - skipped} note(s) on what was not kept.")


def _bank_using(bank_id: str, target: Path) -> Path | None:
    """An existing bank under the questions folder with this id, other than the one at target."""
    for location in discover_banks([_questions_dir()], []):
        if location.resolve() == target.resolve():
            continue
        try:
            document = load_yaml((location / BANK_FILE if location.is_dir() else location).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, YamlError):
            continue
        meta = document.get("bank", document) if isinstance(document, dict) else None
        if isinstance(meta, dict) and meta.get("id") == bank_id:
            return location
    return None


def _check_before_writing(meta: dict, questions: list, header: str, single: bool) -> None:
    """Write the bank to a scratch folder and run the bank checker on it, so only a valid bank is written."""
    with tempfile.TemporaryDirectory() as scratch:
        place = Path(scratch) / (f"{meta['id']}.yaml" if single else meta["id"])
        write_bank(place, meta, questions, header, single)
        result = check_paths([place], _questions_dir())
        if not result.ok:  # pragma: no cover - the converters only produce valid questions
            raise click.ClickException("the converted bank does not pass the check: "
                                       + "; ".join(problem.message for problem in result.problems[:5]))


@questions_cli.command("export", short_help="Write a bank as GIFT, Aiken, Moodle XML, Anki text or CSV.")
@click.argument("bank")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="Output format.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
def export_command(bank: str, fmt: str, output: Path | None) -> None:
    """Write BANK (its id, or the path of its folder or file) as GIFT, Aiken, Moodle XML, Anki text or CSV."""
    path = Path(bank)
    paths = [path] if path.exists() else [_questions_dir()]
    result = check_paths(paths, _questions_dir())
    if not result.ok:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("the bank has problems; fix them before exporting")
    found = [b for b in result.banks if b.slug == bank or path.exists()]
    if len(found) != 1:
        known = ", ".join(b.slug for b in result.banks) or "none"
        raise click.ClickException(f"no bank {bank!r} (known: {known})")
    try:
        text, notes = export_bank(found[0], fmt, result.documents)
    except FormatError as error:
        raise click.ClickException(str(error)) from None
    for note in notes:
        click.echo(note, err=True)
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise click.ClickException(f"cannot write {output}: {error.strerror}") from None
        click.echo(f"Wrote {output}: {len(found[0].questions)} question(s) in the bank, {len(notes)} note(s).",
                   err=True)
