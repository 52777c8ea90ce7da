"""Use cases that combine the layers: bring the lab up, recover, scale."""
