// Exit codes of `npm run budget -- gate`, for a CI step (docs/slo-pages.md "Error-budget policy"): 0 deploy, 1 the
// policy blocks deploys, 2 a bad option, 3 no verdict (Prometheus silent, no budget figure, no policy in the rules)
// — a pipeline decides whether "no verdict" blocks.
export const GATE_EXIT = { deploy: 0, blocked: 1, usage: 2, unknown: 3 } as const;
