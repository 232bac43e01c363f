// The documents the ranker and the decline model are trained on: fixtures that no development
// question is about (test/eval/data), so that training never sees the evaluation's documents, in
// both languages and every kind. Two of them live only in ../shared/fixtures.
export const TRAINING_DOCUMENTS = [
  'papers/resnet.pdf',
  'papers/sparse_autoencoders.pdf',
  'novels/sherlock_holmes.txt',
  'contracts/common-paper-software-license-agreement.docx',
  'contracts/bonterms-mutual-nda.docx',
  'contracts/series-seed-term-sheet.md',
  'contracts/yc-safe-discount.docx',
  'licenses/MPL-2.0.txt',
  'zh/hongloumeng-ch081-100.md',
  'validation/spc-civil-procedure-interpretation-zh.txt',
];
