# Passerelle: `make run` starts the assistant, `make test` runs every check.
# Both create the two Python environments on first use.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON311 ?= python3.11
VENV := .venv
VENV_RASA := .venv-rasa
PY := $(VENV)/bin/python
RASA := $(VENV_RASA)/bin/rasa
MODEL := models/passerelle.tar.gz

# Nothing is downloaded at run time; Rasa's telemetry stays off.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Progress bars are for people; CI logs stay readable without them (Rasa shows
# its training progress bars only below log level WARNING).
ifeq ($(CI),true)
export LOG_LEVEL := WARNING
endif

INDEX := var/knowledge-index/manifest.json
# What the trained model is made of: the pipeline, the training data and domain (through the importer),
# and the featurizer's code. The other NLU components run at prediction time (a restart takes their
# changes); the channels, tracker store and action code are no part of the model.
MODEL_INPUTS := config.yml bot/importer.py nlu/sentence_encoder.py nlu/annotator.py \
  $(shell find bot nlu/data -name '*.yml' 2>/dev/null)

.PHONY: prepared lint unit help run run-scaled test envs train index tune-ranking validate check-content test-stories pytest actions bench-nlu bench-latency bench-startup bench-retrieval bench-orientation bench-handoff bench-desk bench-scrubber bench-widget bench-fuzz bench-answers bench-load clean

help:
	@echo "make run            start the Rasa server, the action server and the web service"
	@echo "make run-scaled N=2 N Rasa servers behind nginx, on PostgreSQL and Redis"
	@echo "make test           train, lint, validate the data, run the Rasa test stories and pytest"
	@echo "make unit           the tests that need no server, model or browser (under a minute)"
	@echo "make lint           ruff (lint and format check) and mypy"
	@echo "make train          train the model when its data changed"
	@echo "make actions        start the action server alone (for 'python -m bot.server shell')"
	@echo "make check-content  check the topic files in knowledge/content/"
	@echo "make index          rebuild the search index after editing knowledge/content/"
	@echo "make tune-ranking   fit the answer ranking and abstention (knowledge/ranking.yml) on the development questions"
	@echo "make bench-nlu      intent accuracy and macro-F1 on the held-out split, with and without dense features"
	@echo "make bench-latency  turn latency through the REST channel, against a plain 'rasa init' bot"
	@echo "make bench-startup  time to ready and resident memory of 'make run'"
	@echo "make bench-retrieval  search quality against BM25 and USE, latency at 10,000 passages, memory"
	@echo "make bench-answers  visitor questions end to end: right sheet, facts, honest abstentions, scored 0-2"
	@echo "make bench-orientation  share of free-text questionnaire answers understood"
	@echo "make bench-handoff  time from a handoff request to the ticket on the desk"
	@echo "make bench-desk     tickets per second the desk API accepts, on SQLite and PostgreSQL"
	@echo "make bench-scrubber personal data found by the scrubber, and its time per message"
	@echo "make bench-widget   widget and kiosk script sizes (gzipped), time from page load to the greeting"
	@echo "make bench-fuzz     10,000 generated inputs per public endpoint: answers, 5xx, crashes, services still up"
	@echo "make bench-load     locust through nginx: turns/s at p95 ≤ 1 s for 1 and 2 Rasa instances and a plain bot"

# uv installs the pinned sets (every package pinned by the constraints files, so the result is the same as
# pip's) in a fraction of pip's time: it downloads in parallel and resolves once. It lives in .venv, which
# pip creates; uv then fills both environments, compiled to bytecode as pip does (else each server's first
# start compiles everything it imports, TensorFlow included).
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
UV_INSTALLED := $(VENV)/.uv-$(UV_VERSION)
$(UV_INSTALLED):
	[ -x $(PY) ] || $(PYTHON311) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	@touch $@

$(VENV_RASA)/.installed: requirements/rasa.in requirements/rasa-constraints.txt | $(UV_INSTALLED)
	@python310=$$(scripts/find_python310.sh) || exit 1; \
	  [ -x $(VENV_RASA)/bin/python ] || $$python310 -m venv $(VENV_RASA)
	$(UV) pip install --quiet --compile-bytecode --python $(VENV_RASA)/bin/python -r requirements/rasa.in -c requirements/rasa-constraints.txt
	@touch $@

$(VENV)/.installed: pyproject.toml requirements/app-constraints.txt | $(UV_INSTALLED)
	$(UV) pip install --quiet --compile-bytecode --python $(PY) -e ".[test,bench]" -c requirements/app-constraints.txt
	@touch $@

envs: $(VENV_RASA)/.installed $(VENV)/.installed

# What `make run` and `make test` need first, two at a time: the two environments side by side, then the
# model's training (both cores, TensorFlow) beside the search index (a few seconds of encoding).
prepared:
	@$(MAKE) --no-print-directory -j2 $(MODEL) $(INDEX)

$(MODEL): $(VENV_RASA)/.installed $(MODEL_INPUTS)
	$(RASA) train --fixed-model-name passerelle --out models

train: $(MODEL)

# Rebuilt when a topic file or the passage cutting changed (knowledge.index also
# compares a hash of the content and the model, and does nothing when they match).
$(INDEX): $(VENV)/.installed $(wildcard knowledge/content/*.md) knowledge/passages.py knowledge/index.py
	$(PY) -m knowledge.index
	@touch $@

index: $(INDEX)

run: prepared
	$(PY) -m launcher

# Debian's nginx, the edge of the scaled topology (deploy/nginx/); run by the launcher, not as a system service.
NGINX := /usr/sbin/nginx
$(NGINX):
	@echo "Installing Debian's nginx for 'make run-scaled' and its tests (needs root)…"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx \
	  || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx)

# N Rasa servers and action servers behind nginx, on the local PostgreSQL and Redis (launcher/scaled.py).
N ?= 2
run-scaled: envs $(MODEL) $(INDEX) $(NGINX)
	$(PY) -m launcher --instances $(N)

actions: $(VENV)/.installed
	$(PY) -m rasa_sdk --actions actions --port 5055

validate: $(VENV_RASA)/.installed
	$(RASA) data validate --domain bot --data bot nlu/data

check-content: $(VENV)/.installed
	$(PY) -m knowledge.content_check
	$(PY) -m knowledge.glossary

# Fits knowledge/ranking.yml on the development questions (run it after changing the content,
# the glossary or the search, and commit the file).
tune-ranking: $(INDEX)
	$(PY) -m knowledge.ranking_tune

test-stories: $(MODEL)
	$(RASA) test core --stories tests/stories --model $(MODEL) --out var/results/stories --fail-on-prediction-errors

# Debian's chromium, which Playwright drives in the page tests (it never downloads a browser).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@echo "Installing Debian's chromium for the page tests (needs root)…"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium \
	  || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)

# axe-core (npm), which the page tests run in the browser; pinned by package-lock.json.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

pytest: envs $(MODEL) $(INDEX) $(CHROMIUM) $(AXE) $(NGINX)
	$(PY) -m pytest

# Tests marked by tests/conftest.py as needing the trained model or the search index, our servers, the
# browser or PostgreSQL are left out; the rest runs with only the 3.11 environment, on both cores.
unit: $(VENV)/.installed
	$(PY) -m pytest -m "not model and not servers and not browser and not postgresql" -n 2 -q

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: prepared
	@$(MAKE) --no-print-directory lint validate check-content test-stories pytest

bench-nlu: envs
	$(VENV_RASA)/bin/python -m bench.nlu_accuracy

bench-latency: envs $(MODEL)
	$(PY) -m bench.turn_latency

bench-startup: envs $(MODEL)
	$(PY) -m bench.startup

bench-retrieval: envs $(INDEX)
	$(PY) -m bench.retrieval

bench-answers: envs $(MODEL) $(INDEX)
	$(PY) -m bench.answers

bench-orientation: $(VENV)/.installed
	$(PY) -m bench.orientation_answers

bench-handoff: envs $(MODEL) $(INDEX)
	$(PY) -m bench.handoff_latency

bench-desk: $(VENV)/.installed
	$(PY) -m bench.desk_throughput

bench-scrubber: $(VENV)/.installed
	$(PY) -m bench.scrubber

bench-widget: envs $(MODEL) $(INDEX) $(CHROMIUM)
	$(PY) -m bench.widget_size
	$(PY) -m bench.widget_greeting

bench-fuzz: envs $(MODEL) $(INDEX)
	$(PY) -m bench.fuzz

# The scaled topology (1 and 2 instances, on PostgreSQL and Redis) and a plain bot behind nginx, under locust.
bench-load: envs $(MODEL) $(INDEX) $(NGINX)
	$(PY) -m bench.load

clean:
	rm -rf models var .rasa results
