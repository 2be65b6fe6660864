"""eventnlp: conflict news to structured event data.

``from eventnlp import tag`` and ``tag(article)`` give, per sentence, event types,
actors with roles, casualties with normalised counts and locations, each with
character offsets into the input and a confidence.
"""

__version__ = "0.1.0"

from transformers import AutoConfig, AutoModel  # noqa: E402

from .casualties import normalize as normalize_casualty  # noqa: E402
from .config import EventConfig  # noqa: E402
from .data import load_corpus, validate  # noqa: E402
from .inference import EventPipeline, tag  # noqa: E402
from .labels import EVENT_LABELS, SPAN_LABELS  # noqa: E402
from .modeling import EventTagger, ModelLoadError  # noqa: E402

AutoConfig.register("eventnlp", EventConfig)
AutoModel.register(EventConfig, EventTagger)

__all__ = [
    "EVENT_LABELS",
    "SPAN_LABELS",
    "EventConfig",
    "EventPipeline",
    "EventTagger",
    "ModelLoadError",
    "__version__",
    "load_corpus",
    "normalize_casualty",
    "tag",
    "validate",
]
