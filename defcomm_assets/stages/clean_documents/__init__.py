"""Stage clean_documents: the article without the page (boilerplate, headline, publication date, language)."""
