"""Sharing models on the Hugging Face Hub: one commit with weights, config, tokenizer and card.

Loading needs nothing here: ``tag(model="org/name")`` goes through
``EventTagger.from_pretrained``, which uses huggingface_hub's cache (and works offline
with ``HF_HUB_OFFLINE=1`` once the snapshot is cached).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .inference import default_model_path

PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt")  # never uploaded: eventnlp shares safetensors


def push(folder: str | None, repo_id: str, private: bool = False, token: str | None = None) -> str:
    if not isinstance(repo_id, str) or repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise ValueError(f"repo id must look like 'org/name', got {repo_id!r}")
    src = Path(folder) if folder else default_model_path()
    missing = [f for f in ("config.json", "model.safetensors") if not (src / f).exists()]
    if missing:
        raise FileNotFoundError(f"{src} is not a trained model folder (missing {', '.join(missing)}); "
                                "train one with `eventnlp train`")
    from huggingface_hub import HfApi

    api = HfApi(token=token)
    api.create_repo(repo_id, private=private, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # every top-level file (config, weights, whatever tokenizer files the base encoder has, card,
        # eval results); not the checkpoints/ folder of an interrupted run, never a pickle
        for path in sorted(src.iterdir()):
            if path.is_file() and not path.name.endswith(PICKLE_SUFFIXES):
                shutil.copy2(path, Path(tmp) / path.name)
        card = Path(tmp) / "README.md"
        if card.exists():  # the card was written before the repo id was known
            card.write_text(card.read_text(encoding="utf-8").replace(f"your-org/{src.name}", repo_id),
                            encoding="utf-8")
        info = api.upload_folder(folder_path=tmp, repo_id=repo_id,
                                 commit_message=f"Upload eventnlp model {src.name}")
    return getattr(info, "commit_url", None) or f"https://huggingface.co/{repo_id}"
