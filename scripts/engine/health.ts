// The pure health engine's entry point: policy + measurements + windows → HealthReport, and its decision (rules in health/).
export { buildHealthReport, type HealthReportInput } from './health/report.ts';
export { evaluateSignal, type SignalContext } from './health/signal.ts';
export { healthDecision } from './health/decision.ts';
export { combineOutcomes, decidingRule } from './health/outcome.ts';
export { relativeLimit } from './health/levels.ts';
export { formatNumber, formatValue } from './health/format.ts';
export { exitCodeFor } from './decisions.ts';
