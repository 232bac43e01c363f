// Reads the training documents into their own cached library (.cache/eval/train-<model>.sqlite).
import { openEvalLibrary } from '../eval/library.js';
import { TRAINING_DOCUMENTS } from './corpus.js';

const lib = await openEvalLibrary(TRAINING_DOCUMENTS, (l) => void process.stderr.write(`${l}\n`), 'train');
lib.library.close();
