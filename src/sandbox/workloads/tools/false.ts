// `false`: does nothing, unsuccessfully.
import type { ExecTool } from './tool.js';

/** Exits 1. */
export const falseTool: ExecTool = async () => 1;
