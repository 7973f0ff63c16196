"""crosswire watch: follow feeds, sitemaps, URL lists and folders; raise alerts on the stories (issue 14)."""

from crosswire.watch.config import Rule, Rules, Sink, Source, Sources, load_rules, load_sources
from crosswire.watch.loop import PollReport, WatchPlan, Watcher, WatchSummary

__all__ = ["Rule", "Rules", "Sink", "Source", "Sources", "load_rules", "load_sources", "PollReport", "WatchPlan", "Watcher",
           "WatchSummary"]
