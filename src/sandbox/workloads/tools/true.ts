// `true`: does nothing, successfully.
import type { ExecTool } from './tool.js';

/** Exits 0. */
export const trueTool: ExecTool = async () => 0;
