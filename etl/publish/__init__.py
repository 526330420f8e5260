"""Publishing: data versions, their snapshots, the preview of an upload, the published dataset, status."""
