/*
 * The values config.yaml's enumerations take. Apart from the zod schema (plugin-config.ts) so that
 * the CLI can list them in its help without loading zod.
 */
export const PLUGIN_CATEGORIES = ['neural_net', 'export', 'upload', 'smart_tool', 'post_annotation', 'pre_annotation', 'data_validation'] as const;
export const DATA_TYPES = ['image', 'video', 'audio', 'text', 'pcd'] as const;
export const ANNOTATION_TYPES = ['image', 'video', 'audio', 'text', 'pcd', 'prompt'] as const;
