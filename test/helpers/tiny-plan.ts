// A capacity plan small enough for tests: tiny-moe with 256-token sequences on one system at 8 and 16 devices,
// two routers; the whole plan runs in a few seconds.
export const tinyPlanYaml = `version: 1
name: tiny-plan
model:
  preset: tiny-moe
  overrides: { seqLength: 256 }
tokens: 1.0e9
deadlineDays: 10
globalBatch: 32
devices: [8, 16]
routers: [switch, gshard]
candidates:
  - system: atlas-800t-a2
    pricing: { kind: capital, years: 4 }
energy: { pricePerKWh: 0.1, currency: USD, pue: 1.5 }
currency: USD
exchangeRates: { CNY: 0.14 }
routing: { sampleTokensPerLayer: 256, sampledMicroBatches: 1 }
`;
