import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from factcheck.corpus.audit import RULES, audit, read_justifications


class Command(BaseCommand):
    help = (
        "Audit the stored corpus for the patterns of issue 14: "
        + ", ".join(RULES)
        + ". One line per finding (claim key, rule, why); exits 1 while any finding is not justified "
        "under “Justified findings” in fixtures/AUDIT.md (format: docs/data.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--justified",
            default=str(Path(settings.BASE_DIR) / "fixtures" / "AUDIT.md"),
            help="The Markdown file whose “Justified findings” section lists accepted findings. Default: %(default)s",
        )
        parser.add_argument("--json", action="store_true", help="Print the findings as JSON instead of lines.")

    def handle(self, *args, **options):
        justifications, problems = read_justifications(options["justified"])
        if problems:
            raise CommandError("The justified findings cannot be read:\n" + "\n".join(problems))
        findings = audit(justifications=justifications)
        open_findings = [f for f in findings if not f.justified]
        used = {(f.rule, f.claim) for f in findings if f.justified}
        stale = sorted(set(justifications) - used)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "findings": [f.as_dict() for f in findings],
                        "unjustified": len(open_findings),
                        "stale_justifications": [{"rule": r, "claim": c} for r, c in stale],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for finding in findings:
                self.stdout.write(finding.line())
            for rule, claim in stale:
                self.stdout.write(f"note: “{rule} {claim}” is justified in {options['justified']} but no longer found")
        summary = f"{len(findings)} finding(s), {len(findings) - len(open_findings)} justified"
        if open_findings:
            raise CommandError(f"{summary}: {len(open_findings)} to fix or justify.")
        if not options["json"]:
            self.stdout.write(f"Audit clean: {summary}.")
