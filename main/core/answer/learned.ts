// Written by `npm run train:ranker` (test/train/train-ranker.ts); do not edit by hand.
// 2026-12-05, model lectern-mamba2-7m-v6: fitted on 417 synthetic questions (a typed span
// blanked, a defined term, a heading, inverse cloze) from 10 documents no development question is about:
// papers/resnet.pdf, papers/sparse_autoencoders.pdf, novels/sherlock_holmes.txt, contracts/common-paper-software-license-agreement.docx, contracts/bonterms-mutual-nda.docx, contracts/series-seed-term-sheet.md, contracts/yc-safe-discount.docx, licenses/MPL-2.0.txt, zh/hongloumeng-ch081-100.md, validation/spc-civil-procedure-interpretation-zh.txt.
// The ranker: listwise softmax over each question's candidates; the decline model: logistic over
// 314 answerable and 309 unanswerable synthetic questions (another document's, or a rare word
// swapped for one the document never uses), the threshold declining 5% of the answerable ones.
import type { DeclineModel } from './decline.js';
import type { Weights } from './ranker.js';

export const LEARNED_WEIGHTS: Weights = {"bm25f":4.0123,"overlap":0.3647,"windowOverlap":5.4423,"rareCoverage":1.9838,"proximity":0.5616,"phrase":1.7575,"heading":0.087,"answerType":1.8183,"definition":0.4939,"search":1.6198,"short":-1.6433,"vectors":0,"gain":0.1463,"documentGain":0,"reread":0};

export const LEARNED_DECLINE: DeclineModel = {"weights":{"rareCoverage":-8.0297,"windowOverlap":9.9169,"overlap":0.0953,"bm25f":-4.4962,"absent":-11.4124,"typeMissing":-0.7589,"typePresent":-0.2664,"score":2.8017,"gap":0.3087},"bias":-22.1081,"threshold":0.9924};
