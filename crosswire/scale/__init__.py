"""Scale-out on a Dask distributed cluster (:mod:`crosswire.scale.engine`); Dask is imported only when asked for."""

from crosswire.scale.engine import ClusterError, DaskEngine, engine_for, open_engine, wanted

__all__ = ["ClusterError", "DaskEngine", "engine_for", "open_engine", "wanted"]
