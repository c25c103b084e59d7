"""The CDK core an app is built on: CDKTF (`cdktf`) or CDK Terrain (`cdktn`), CDKTF's maintained fork.

The two cores have the same API in two jsii assemblies, and an element of one cannot live in a
stack of the other: cdktn's synthesis calls methods on every element that cdktf's elements lack.
So the package's constructs (the module classes, the aws provider) are written once, against
neither core. Created in a scope, such a class gives an instance of a subclass that also derives
from the class of the scope's core (`TerraformHclModule`, `TerraformProvider`), made once per class
and core: the instance is a real element of that core, with all of its API.

The core is the one whose App or TerraformStack holds the scope, looked up among the modules the
app has already imported (`sys.modules`): this package never imports a core, so the one not in
use is never loaded.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any, ClassVar, Self

from constructs import Construct

CORES = ("cdktf", "cdktn")


class CoreError(TypeError):
    """A construct created outside any cdktf or cdktn app."""


def construct_label(construct_class: type, scope: Construct, id: str) -> str:
    """How messages name a construct: its class and its path, `Datastore stack/datastore`."""
    return f"{construct_class.__name__} {scope.node.path}/{id}".replace("//", "/")


def core_of(scope: Construct, construct: str) -> ModuleType:
    """The core (the `cdktf` or `cdktn` module) whose App or TerraformStack holds `scope`."""
    loaded = [sys.modules[name] for name in CORES if name in sys.modules]
    for ancestor in reversed(scope.node.scopes):
        for core in loaded:
            if isinstance(ancestor, (core.TerraformStack, core.App)):
                return core
    raise CoreError(f"{construct}: scope {scope.node.path or '(the root)'!r} is in no App or TerraformStack of "
                    f"{' or '.join(CORES)}: create the construct inside a TerraformStack")


class BindsToCore:
    """Base of a class whose instances are elements of the core of the scope they are created in.

    `core_class` names the class of the core it extends; `__new__` picks the subclass bound to the
    scope's core, and `__init__` runs on it as usual (its `super().__init__` reaches the core's class).
    """

    core_class: ClassVar[str]
    # the core a bound subclass belongs to; None on the classes written against no core
    bound_core: ClassVar[ModuleType | None] = None
    _bound: ClassVar[dict[tuple[type, str], type]] = {}

    def __new__(cls, scope: Construct, id: str, *args: Any, **kwargs: Any) -> Self:
        if cls.bound_core is not None:
            return super().__new__(cls)
        return super().__new__(bound_class(cls, core_of(scope, construct_label(cls, scope, id))))

    @property
    def app_core(self) -> ModuleType:
        """The core this instance is an element of (the one of the scope it was created in)."""
        assert self.bound_core is not None  # __new__ made it an instance of a bound subclass
        return self.bound_core


def bound_class(cls: type[BindsToCore], core: ModuleType) -> type:
    """`cls` bound to `core`: a subclass of it and of the core's `cls.core_class`, made once."""
    key = (cls, core.__name__)
    if key not in BindsToCore._bound:
        element_class = getattr(core, cls.core_class)
        # jsii's metaclass (of the core's class) registers the subclass's overrides with the core
        BindsToCore._bound[key] = type(element_class)(
            cls.__name__, (cls, element_class),
            {"__module__": cls.__module__, "__qualname__": cls.__qualname__, "__doc__": cls.__doc__,
             "bound_core": core})
    return BindsToCore._bound[key]
