"""Tells Rasa where this project keeps its training data (see `importers` in config.yml).

Rasa's CLI looks for `domain.yml` and `data/`; Passerelle keeps the domain, rules
and stories in `bot/` (one folder per skill) and the NLU examples in `nlu/data/`.
Explicit `--domain`/`--data` arguments still win, so `rasa train`, `rasa test` and
`rasa shell` work from the project root with or without them (`rasa data validate`
insists on `--domain bot`).
"""

from __future__ import annotations

import os

from rasa.shared.core.domain import Domain
from rasa.shared.importers.rasa import RasaFileImporter

DOMAIN_PATH = "bot"
TRAINING_DATA_PATHS = ["bot", "nlu/data"]


class PasserelleImporter(RasaFileImporter):
    """The default Rasa file importer with this project's paths as defaults."""

    def __init__(
        self,
        config_file: str | None = None,
        domain_path: str | None = None,
        training_data_paths: list[str] | str | None = None,
    ) -> None:
        if isinstance(training_data_paths, str):
            training_data_paths = [training_data_paths]
        # The CLI passes its defaults (domain.yml, data/) even when they do not exist.
        given = [path for path in training_data_paths or [] if path and os.path.exists(path)]
        if not (domain_path and os.path.exists(domain_path)):
            domain_path = DOMAIN_PATH
        super().__init__(config_file, domain_path, given or TRAINING_DATA_PATHS)
        # Responses sit next to the rules that use them; Rasa would otherwise also
        # read a domain file's `responses` as retrieval-intent training data.
        self._nlu_files: list[str] = [f for f in self._nlu_files if not Domain.is_domain_file(f)]
