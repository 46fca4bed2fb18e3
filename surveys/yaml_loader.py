"""Consultations written as YAML files (the schema: surveys/README.md).

YAML 1.1 reads `yes`, `no`, `on` and `off` as booleans, which would turn a choice id `yes`
into True; this loader only takes `true` and `false` as booleans (as YAML 1.2 does).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from surveys.definitions import Consultation
from surveys.documents import consultation_from_document
from surveys.problems import DefinitionError

BOOLEAN = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class ConsultationYamlLoader(yaml.SafeLoader):
    """SafeLoader, with only true/false as booleans."""


ConsultationYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ConsultationYamlLoader.add_implicit_resolver("tag:yaml.org,2002:bool", BOOLEAN, list("tTfF"))


def read_yaml_document(text: str, source: str = "file") -> object:
    """The document in a YAML text; DefinitionError if it is not valid YAML."""
    try:
        return yaml.load(text, Loader=ConsultationYamlLoader)  # a SafeLoader: no objects
    except yaml.YAMLError as error:
        raise DefinitionError([f"{source}: not valid YAML ({error})"]) from None


def load_yaml(path: Path | str, quarters: tuple[str, ...] | None = None) -> Consultation:
    """The consultation in a YAML file; DefinitionError lists every problem."""
    path = Path(path)
    document = read_yaml_document(path.read_text(encoding="utf-8"), path.name)
    return consultation_from_document(document, quarters)  # type: ignore[arg-type]
