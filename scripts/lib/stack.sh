# Shared by the stack suites that are still bash (95-stack-down.sh): where the stack keeps its state.
# Every other stack suite runs a typed drill in stack/test/*.drill.ts (stack/lib/config.ts has the same paths).
STACK_DIR="${VEZA_STACK_DIR:-/var/lib/veza-stack}"
