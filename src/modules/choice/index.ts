// The choice module's public surface. Choice requests and prompts arrive with issue #5.
export {}
