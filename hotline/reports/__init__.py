"""The monthly report (月度通报): the leaders' figures for a month, as PDF and XLSX."""
