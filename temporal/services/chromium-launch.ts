// Where Chromium is and how it starts: defined beside the Browser node, which runs it (nodes may not import temporal/).
export { CHROMIUM_ARGS, chromiumPath } from '../../nodes/browser/chromium-launch';
