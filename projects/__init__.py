"""Projects, their mentions in the plans (status history), industries and the project↔zone join."""
