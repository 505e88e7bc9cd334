# Gogga Desktop: the two commands a new developer needs are `make run` and
# `make test`; both install what is missing first (scripts/setup).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export CARGO_BUILD_JOBS ?= 2
TAURI := ui/node_modules/.bin/tauri
CACHE := $(or $(GOGGA_CACHE_DIR),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/gogga)
ARTIFACTS := artifacts
DESKTOP_DEBUG := target/debug/gogga-desktop
DEB_GLOB := target/release/bundle/deb/Gogga_*_amd64.deb
# make test packages the debug profile (`tauri build --debug`): the same
# bundling, resources and installed layout as `make deb`, without a second,
# optimised compile of every dependency (about 15 minutes on a clean 2-core
# machine). `make deb` is what ships.
TEST_DEB_GLOB := target/debug/bundle/deb/Gogga_*_amd64.deb

.PHONY: run test dev deb deb-test bundle-resources setup setup-test ui desktop test-rust test-ui test-deb test-e2e bench clean-artifacts

## make run: install what is missing, build, open the desktop app
run: setup ui desktop
	scripts/run-desktop $(DESKTOP_DEBUG)

## make test: install what is missing, run every test (Rust, UI, package, end-to-end)
test: setup-test ui
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory test-rust test-ui test-deb test-e2e; \
	echo "make test: all passed in $$(( $$(date +%s) - start )) s (after setup)"

## make dev: tauri dev with Vite live reload
dev: setup
	$(TAURI) dev

## make deb: the installable .deb and .rpm (ONNX Runtime and the model bundled)
deb: setup ui bundle-resources
	$(TAURI) build --ci --bundles deb,rpm --config src-tauri/tauri.bundle.conf.json
	@ls -1 target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm

## the same packages from the debug profile, for make test
deb-test: setup-test ui bundle-resources
	$(TAURI) build --ci --debug --bundles deb,rpm --config src-tauri/tauri.bundle.conf.json

bundle-resources:
	rm -rf src-tauri/resources && mkdir -p src-tauri/resources/onnxruntime src-tauri/resources/models
	cp $(CACHE)/onnxruntime-1.24.4/libonnxruntime.so $(CACHE)/onnxruntime-1.24.4/LICENSE src-tauri/resources/onnxruntime/
	cp -r $(CACHE)/models/all-MiniLM-L6-v2 src-tauri/resources/models/
	rm -f src-tauri/resources/models/all-MiniLM-L6-v2/.ok

setup:
	@scripts/setup run

setup-test:
	@scripts/setup test

ui:
	@cd ui && npm run --silent build >/dev/null

desktop:
	cargo build -p gogga-desktop --features custom-protocol

test-rust:
	cargo test --workspace --no-fail-fast

test-ui:
	cd ui && npx vitest run

## the .deb: contents, and the installed binary starts and embeds offline
test-deb: deb-test
	scripts/test-package $(TEST_DEB_GLOB)

## the real app in the real webview, driven by tauri-driver under Xvfb
test-e2e: deb-test
	cargo build -p mock-upstream --bin mock-upstream
	GOGGA_DESKTOP_BIN=target/debug/gogga-desktop scripts/test-e2e

bench:
	bench/run-all
