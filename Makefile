# One entry point for people and CI. Every target installs what it needs (scripts/bootstrap.sh).
#   make up      apply the platform to the inventory's environment (default: local, embedded AWS)
#   make down    destroy it in reverse order, audit the account, stop the embedded AWS
#   make cost    monthly AWS cost of the environment (from its Terraform plans; after make up)
#   make test    every linter, terraform test, Molecule and pytest
# Pick another environment with INVENTORY=inventories/dev (real AWS; see README).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

ROOT := $(CURDIR)
INVENTORY ?= inventories/local
ANSIBLE_ARGS ?=

export PATH := $(ROOT)/.venv/bin:$(PATH)
export TF_CLI_CONFIG_FILE := $(ROOT)/.state/terraformrc
export CHECKPOINT_DISABLE := 1
export ANSIBLE_CONFIG := $(ROOT)/ansible.cfg
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help bootstrap up down plan test lint terraform-test molecule molecule-kind pytest ci-tests services images bench report cost unlock lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

bootstrap: ## install the pinned toolchain into .venv (idempotent, seconds when nothing changed)
	@scripts/bootstrap.sh

up: bootstrap ## provision the environment (ansible-playbook site.yml)
	ansible-playbook -i $(INVENTORY) site.yml $(ANSIBLE_ARGS)

down: bootstrap ## tear the environment down and prove nothing is left (ansible-playbook teardown.yml)
	ansible-playbook -i $(INVENTORY) teardown.yml $(ANSIBLE_ARGS)

plan: bootstrap ## the plan of every stack, changing nothing (site.yml --check --diff; CI's plan job)
	ansible-playbook -i $(INVENTORY) site.yml --check --diff $(ANSIBLE_ARGS)

test: bootstrap ## run every check: lint, terraform test, Molecule, service tests, pytest
	scripts/test.sh all

lint: bootstrap ## linters only
	scripts/test.sh lint

terraform-test: bootstrap ## terraform fmt/validate/test only
	scripts/test.sh terraform

molecule: bootstrap ## Molecule scenarios only
	scripts/test.sh molecule

molecule-kind: bootstrap ## platform roles on real kind clusters (Docker, kind and internet; ROLE=<role> for one)
	scripts/test.sh molecule-kind $(ROLE)

pytest: bootstrap ## pytest only
	scripts/test.sh pytest

ci-tests: bootstrap ## tests of the CI workflows, CI scripts and repository standards (ci.yml)
	scripts/test.sh ci

services: bootstrap ## each service's unit and integration tests (services/*/test.sh)
	scripts/test.sh services

images: bootstrap ## build the four service images and print size and user (IMAGE_TAG, default local)
	scripts/build_images.sh

bench: bootstrap ## benchmark each API on loopback (not a test): req/s, p50/p99 (REQUESTS, CONCURRENCY)
	scripts/bench_services.py --requests $(or $(REQUESTS),2000) --concurrency $(or $(CONCURRENCY),8)

report: bootstrap ## boot-time history of the environment: table + .state/<env>/timing/report.svg (20-min budget line)
	scripts/timing_report.py --env $(notdir $(INVENTORY))

cost: bootstrap ## monthly AWS cost of the environment from its plans (after make up), always-on vs daily up/down (COST_ARGS)
	scripts/cost.sh $(INVENTORY) $(COST_ARGS)

unlock: bootstrap ## release the state lock a killed run left (STACK, LOCK_ID: the failed run prints them; only if no other run is active)
	@if [[ -z "$(STACK)" || -z "$(LOCK_ID)" ]]; then echo "usage: make unlock [INVENTORY=...] STACK=<stack> LOCK_ID=<lock id> (the run that met the lock prints the exact command)" >&2; exit 2; fi
	ansible-playbook -i $(INVENTORY) playbooks/unlock.yml -e terraform_unlock_stack=$(STACK) -e terraform_unlock_id=$(LOCK_ID) $(ANSIBLE_ARGS)

lock: ## refresh requirements.txt from requirements.in in a throwaway venv
	scripts/lock.sh

clean: ## remove the toolchain and caches (not .state: it may describe live infrastructure)
	rm -rf .venv .venv-checkov .venv-mongo .cache
