// Written by `npm run eval:decline -- --fit` (test/train/decline-refit.ts); do not edit by hand.
// 2026-12-05, the ranking with lectern-mamba2-7m-v6's likelihoods: the decline model refitted on the synthetic
// decline set (test/train/decline-set.ts), 334 answerable and 384 unanswerable questions from 11 documents
// that no development question is about; logistic over the first rule's evidence and the rule's
// own signals, the threshold declining 10% of the answerable. A row of the eval, not what
// `ask` uses (decline.ts, docs/EVAL.md).
import type { DeclineModel } from './decline.js';

export const REFIT_DECLINE: DeclineModel = {"weights":{"rareCoverage":-1.1942,"windowOverlap":2.6791,"overlap":-1.1654,"bm25f":0.298,"absent":1.4227,"typeMissing":-2.1594,"typePresent":-0.7591,"score":1.0445,"gap":-0.1241,"typeNear":1.3549,"namesKnown":5.343,"valueGiven":0.4461,"countedNear":0.9251},"bias":-12.1332,"threshold":0.3803};
