// Written by `npm run train:ranker` (test/train/train-ranker.ts); do not edit by hand.
// 2026-12-05, model lectern-mamba2-7m-v6: fitted on 283 synthetic questions (a typed span
// blanked, a defined term, a heading, inverse cloze) from 10 documents no development question is about:
// papers/resnet.pdf, papers/sparse_autoencoders.pdf, novels/sherlock_holmes.txt, contracts/common-paper-software-license-agreement.docx, contracts/bonterms-mutual-nda.docx, contracts/series-seed-term-sheet.md, contracts/yc-safe-discount.docx, licenses/MPL-2.0.txt, zh/hongloumeng-ch081-100.md, validation/spc-civil-procedure-interpretation-zh.txt.
// The ranker: listwise softmax over each question's candidates; the decline model: logistic over
// 283 answerable and 287 unanswerable synthetic questions (another document's, or a rare word
// swapped for one the document never uses), the threshold declining 5% of the answerable ones.
import type { DeclineModel } from './decline.js';
import type { Weights } from './ranker.js';

export const LEARNED_WEIGHTS: Weights = {"bm25f":5.3625,"overlap":5.3768,"windowOverlap":3.3432,"rareCoverage":2.7806,"proximity":0.557,"phrase":1.4534,"heading":1.0136,"answerType":2.8351,"definition":0.5022,"search":0.5704,"short":-1.3346,"vectors":0,"gain":0.3,"documentGain":0,"reread":0};

export const LEARNED_DECLINE: DeclineModel = {"weights":{"rareCoverage":-5.3363,"windowOverlap":8.7206,"overlap":-4.3803,"bm25f":1.8786,"absent":-2.6704,"typeMissing":0.7275,"typePresent":1.5925,"score":0.3305,"gap":0.0839},"bias":-5.1376,"threshold":0.3622};
