/** The image worker's bundled script (ui/image-worker.ts), put in by build.mjs; absent in tests. */
declare const __IMAGE_WORKER_SOURCE__: string | undefined
