// The flags of `npm run health`, apart from what they load: the CLI parses them and prints its help without loading the gate.
export const HEALTH_FLAGS = {
  manifest: { type: 'string' },
  policy: { type: 'string' },
  version: { type: 'string' },
  'previous-version': { type: 'string' },
  'deployed-at': { type: 'string' },
  'change-size': { type: 'string' },
  now: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;
