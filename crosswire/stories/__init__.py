"""Stories: the reports of one real event grouped together, look-alike events kept apart.

Stage order: :mod:`.features` (an article's facts as grouping features) -> :mod:`.vectors`
(hashed TF-IDF with online document frequencies) -> :mod:`.index` (candidate stories in a sliding
time window) -> :mod:`.model` (comparison features and the learned join decision) -> :mod:`.group`
(the incremental run) -> :mod:`.consolidate` (each story the run changed checked again: split,
merge) ; :mod:`.corrections` (merge, split, replay) and :mod:`.views` (what the CLI and the
briefing show).
"""

from crosswire.stories.corrections import apply_corrections, list_corrections, merge, regroup, resolve_story, split
from crosswire.stories.group import GroupSummary, group_new
from crosswire.stories.model import StoryModel, load_model
from crosswire.stories.views import list_stories, story_articles

__all__ = ["GroupSummary", "StoryModel", "apply_corrections", "group_new", "list_corrections", "list_stories",
           "load_model", "merge", "regroup", "resolve_story", "split", "story_articles"]
