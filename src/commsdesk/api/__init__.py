"""The REST API (/api/v1/, django-ninja): one router per domain over the same models, forms and
roles as the web pages. It holds no records of its own; tokens live in `accounts`."""
