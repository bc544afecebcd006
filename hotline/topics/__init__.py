"""The topic of the month (每月一题): a class of problems taken on as a project, with tasks."""
