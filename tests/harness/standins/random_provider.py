"""TEST-ONLY stand-in for the hashicorp/random Terraform provider.

hashicorp/random is not mirrored on the test machines, so Terraform runs this
program as that provider (see `standins.build_standin_mirror`). It serves
`random_password`, `random_string` and `random_pet` with the real provider's
schemas (v3.7.2: attribute names, optional/computed/sensitive flags, defaults,
every argument forcing replacement) and really generates values with the
`secrets` module, honouring the character-class switches, `override_special`
and the `min_*` counts. Never ship or use this outside tests.

Differences from the real provider, none visible to the modules under test:
no import, and the deprecated `number` only narrows `numeric` (both must be
true for digits to be used) instead of being kept equal to it.

Runs as a plugin through the PyPI `tf` framework: `python random_provider.py`.
"""

from __future__ import annotations

import secrets
import string
import warnings

from tf import runner, schema, types
from tf.iface import (
    Config,
    CreateContext,
    DeleteContext,
    ReadContext,
    Resource,
    State,
    UpdateContext,
)
from tf.types import Unknown
from tf.utils import Diagnostics

from harness.standins.provider_base import ArgumentlessProvider

DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?"
MIN_COUNTS = ("min_upper", "min_lower", "min_numeric", "min_special")
# golang.org/x/crypto/bcrypt's DefaultCost, which the real provider uses.
BCRYPT_COST = 10

ADVERBS = (
    "abnormally absolutely accurately actively adequately amazingly annually apparently "
    "badly barely basically blindly boldly bravely briefly brightly briskly broadly "
    "calmly carefully centrally certainly cheaply cleanly clearly closely commonly "
    "deadly deeply deftly directly eagerly early easily evenly exactly fairly "
    "firmly freely frankly gently gladly goofily greatly happily hardly highly "
    "kindly largely lively loudly mainly merely mildly mostly neatly nicely"
).split()
ADJECTIVES = (
    "able active adapted adequate adjusted admired adored advanced alert alive "
    "amazed amused apt artistic assured awake aware balanced becoming big "
    "bold brave bright brief busy calm capable careful casual causal charmed "
    "cheerful choice civil classic clean clear clever close cool cosmic crack "
    "creative crisp cuddly cunning curious daring dear decent deep direct "
    "driven dynamic eager easy electric enabled endless engaged epic equal"
).split()
NAMES = (
    "aardvark albacore alien alpaca anchovy ant antelope ape arachnid asp "
    "baboon badger bass bat bear beetle bengal bird bison bluejay "
    "boa bobcat buck buffalo bug bull bulldog bunny buzzard calf "
    "camel cardinal caribou cat catfish cattle chamois cheetah chicken chimp "
    "civet clam cobra cod collie condor coral cougar cow coyote "
    "crab crane crow dane deer dingo dodo dog dolphin donkey"
).split()


def _known_ints(config: Config, names) -> list[int] | None:
    values = [config.get(name) for name in names]
    if any(v is Unknown for v in values):
        return None
    return [int(v or 0) for v in values]


# --- random_string / random_password --------------------------------------------


def class_characters(state: State) -> dict[str, str]:
    """Characters of each class, keyed by the name of its min_* count."""
    return {
        "min_upper": string.ascii_uppercase,
        "min_lower": string.ascii_lowercase,
        "min_numeric": string.digits,
        "min_special": state.get("override_special") or DEFAULT_SPECIAL,
    }


def enabled_classes(state: State) -> list[str]:
    switches = {
        "min_upper": state.get("upper"),
        "min_lower": state.get("lower"),
        "min_numeric": state.get("numeric") is not False and state.get("number") is not False,
        "min_special": state.get("special"),
    }
    return [name for name, on in switches.items() if on is not False]


def generate_random_string(state: State) -> str:
    """`length` characters: first the min_* of each class, the rest from all enabled classes, shuffled."""
    characters = class_characters(state)
    # As in the real provider, a min_* count draws from its class even if the class is switched off.
    chosen = [secrets.choice(characters[name]) for name in MIN_COUNTS for _ in range(int(state.get(name) or 0))]
    pool = "".join(characters[name] for name in enabled_classes(state))
    remaining = int(state["length"]) - len(chosen)
    if remaining > 0 and not pool:
        raise ValueError("no characters to choose from: upper, lower, numeric and special are all false")
    chosen += [secrets.choice(pool) for _ in range(remaining)]
    secrets.SystemRandom().shuffle(chosen)
    return "".join(chosen)


def bcrypt_hash(password: str) -> str | None:
    """The bcrypt hash the real provider exposes, via the C library's crypt(3); None where it lacks bcrypt."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            import crypt
        except ImportError:  # Python >= 3.13 has no crypt module
            return None
    try:
        hashed = crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1 << BCRYPT_COST))
    except (OSError, ValueError):
        return None
    return hashed if hashed and hashed.startswith("$2") else None


def string_attributes(result_sensitive: bool) -> list[schema.Attribute]:
    N, B, S = types.Number(), types.Bool(), types.String()

    def flag(name: str, **extra) -> schema.Attribute:
        return schema.Attribute(name, B, optional=True, computed=True, default=True, requires_replace=True, **extra)

    def minimum(name: str) -> schema.Attribute:
        return schema.Attribute(name, N, optional=True, computed=True, default=0, requires_replace=True)

    return [
        schema.Attribute("keepers", types.Map(S), optional=True, requires_replace=True),
        schema.Attribute("length", N, required=True, requires_replace=True),
        flag("special"),
        flag("upper"),
        flag("lower"),
        flag("number", deprecated=True),
        flag("numeric"),
        *(minimum(name) for name in ("min_numeric", "min_upper", "min_lower", "min_special")),
        schema.Attribute("override_special", S, optional=True, requires_replace=True),
        schema.Attribute("result", S, computed=True, sensitive=result_sensitive),
        schema.Attribute("id", S, computed=True),
    ]


class _Immutable(Resource):
    """Every argument forces replacement, so update only ever carries the plan over."""

    def __init__(self, provider: RandomProvider):
        self.provider = provider

    def read(self, ctx: ReadContext, current: State) -> State | None:
        return current

    def update(self, ctx: UpdateContext, current: State, planned: State) -> State | None:
        return planned

    def delete(self, ctx: DeleteContext, current: State):
        return None


class RandomString(_Immutable):
    @classmethod
    def get_name(cls) -> str:
        return "string"

    @classmethod
    def get_schema(cls) -> schema.Schema:
        return schema.Schema(version=2, attributes=string_attributes(result_sensitive=False))

    def validate(self, diags: Diagnostics, type_name: str, config: Config):
        super().validate(diags, type_name, config)
        length = config.get("length")
        if length is None or length is Unknown:
            return
        if int(length) < 1:
            diags.add_error(
                "Invalid Attribute Value", f"Attribute length value must be at least 1, got: {length}", ["length"]
            )
        minimums = _known_ints(config, MIN_COUNTS)
        if minimums is not None and int(length) < sum(minimums):
            diags.add_error(
                "Invalid Attribute Value",
                f"Attribute length value must be at least sum of min_upper + min_lower + min_numeric + "
                f"min_special, got: {length}",
                ["length"],
            )

    def create(self, ctx: CreateContext, planned: State) -> State | None:
        try:
            result = generate_random_string(planned)
        except ValueError as error:
            ctx.diagnostics.add_error("Random generation error", str(error))
            return None
        return {**planned, "result": result, "id": result}


class RandomPassword(RandomString):
    @classmethod
    def get_name(cls) -> str:
        return "password"

    @classmethod
    def get_schema(cls) -> schema.Schema:
        attributes = string_attributes(result_sensitive=True)
        attributes.insert(-1, schema.Attribute("bcrypt_hash", types.String(), computed=True, sensitive=True))
        return schema.Schema(version=3, attributes=attributes)

    def create(self, ctx: CreateContext, planned: State) -> State | None:
        try:
            result = generate_random_string(planned)
        except ValueError as error:
            ctx.diagnostics.add_error("Random generation error", str(error))
            return None
        hashed = bcrypt_hash(result)
        if hashed is None:
            ctx.diagnostics.add_warning(
                "bcrypt_hash unavailable", "This Python has no bcrypt-capable crypt(3); bcrypt_hash is left null."
            )
        # The real provider's id is this constant: the id must not reveal the password.
        return {**planned, "result": result, "bcrypt_hash": hashed, "id": "none"}


# --- random_pet ---------------------------------------------------------------------


def generate_pet(length: int, separator: str, prefix: str | None) -> str:
    """Like the petname library: adverbs, then an adjective, then a name (one word: just the name)."""
    words = [secrets.choice(NAMES)]
    if length >= 2:
        words.insert(0, secrets.choice(ADJECTIVES))
    words[:0] = [secrets.choice(ADVERBS) for _ in range(length - 2)]
    if prefix:
        words.insert(0, prefix)
    return separator.join(words)


class RandomPet(_Immutable):
    @classmethod
    def get_name(cls) -> str:
        return "pet"

    @classmethod
    def get_schema(cls) -> schema.Schema:
        S = types.String()
        return schema.Schema(
            version=0,
            attributes=[
                schema.Attribute("keepers", types.Map(S), optional=True, requires_replace=True),
                schema.Attribute(
                    "length", types.Number(), optional=True, computed=True, default=2, requires_replace=True
                ),
                schema.Attribute("prefix", S, optional=True, requires_replace=True),
                schema.Attribute("separator", S, optional=True, computed=True, default="-", requires_replace=True),
                schema.Attribute("id", S, computed=True),
            ],
        )

    def validate(self, diags: Diagnostics, type_name: str, config: Config):
        super().validate(diags, type_name, config)
        length = config.get("length")
        if length is not None and length is not Unknown and int(length) < 1:
            diags.add_error(
                "Invalid Attribute Value", f"Attribute length value must be at least 1, got: {length}", ["length"]
            )

    def create(self, ctx: CreateContext, planned: State) -> State | None:
        pet = generate_pet(int(planned["length"]), planned["separator"], planned.get("prefix"))
        return {**planned, "id": pet}


class RandomProvider(ArgumentlessProvider):
    name = "random"
    resources = (RandomPassword, RandomString, RandomPet)
    data_sources = ()


if __name__ == "__main__":
    runner.run_provider(RandomProvider())
