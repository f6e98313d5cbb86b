"""Operations: the service centre's numbers live and by day, week and month, with targets, forecasts and reports.

Reads the tables of the channels (forum, and later the message board, SMS, phone, live Q&A), the KB and the
search log; none of them imports this app. See sources.py for how a channel plugs in.
"""
