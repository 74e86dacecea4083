// The CLI start-up floor: an empty TypeScript module, so `node --import tsx bench/floors/empty.ts` times tsx's loader alone.
export {};
