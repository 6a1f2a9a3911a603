// eks-workshop labs end to end on their own sandbox (see suite.ts).
import { labSuite } from './suite.js';

await labSuite('eks-workshop');
